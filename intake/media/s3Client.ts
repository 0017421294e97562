// The S3 client the intake uses for the object store (media, playback copies, partial uploads via
// @tus/s3-store), set up for what S3-compatible servers other than AWS speak (Ceph RGW, OpenStack
// Swift's s3api, MinIO, Alibaba OSS, Huawei OBS): path-style addressing, no `aws-chunked` streaming
// checksums (Swift 2.30 answers 501), and a Content-MD5 on multi-object deletes (which S3 requires
// and SDK v3 no longer sends: it sends a CRC32 instead, and Swift refuses the request).
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';

export interface S3Settings {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (endpoint/bucket/key); true by default: most self-hosted servers want it. */
  forcePathStyle?: boolean;
}

export function s3ClientConfig(s: S3Settings): S3ClientConfig {
  return {
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: s.forcePathStyle ?? true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(s.accessKeyId && s.secretAccessKey ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } } : {}),
  };
}

type BuildRequest = { request: { query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown } };

/** Adds Content-MD5 to DeleteObjects (POST ?delete) requests of this client; returns it. */
export function withDeleteMd5<C extends Pick<S3Client, 'middlewareStack'>>(client: C): C {
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = (args as unknown as BuildRequest).request;
      if (req?.query && 'delete' in req.query && (typeof req.body === 'string' || req.body instanceof Uint8Array)) {
        for (const h of Object.keys(req.headers)) if (/^x-amz-checksum-|^x-amz-sdk-checksum-algorithm$/i.test(h)) delete req.headers[h];
        req.headers['content-md5'] = createHash('md5').update(req.body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', name: 'shuobaDeleteObjectsMd5', priority: 'low' },
  );
  return client;
}

export function createS3Client(s: S3Settings): S3Client {
  return withDeleteMd5(new S3Client(s3ClientConfig(s)));
}
