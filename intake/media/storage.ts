// The storage setting (issue 16): where media, playback copies and partial uploads live.
//   INTAKE_STORAGE=folder (default)  INTAKE_DATA/media and INTAKE_DATA/uploads (the embedded intake)
//   INTAKE_STORAGE=s3                an S3-compatible object store:
//     INTAKE_S3_ENDPOINT=https://oss.example.gov.cn  INTAKE_S3_BUCKET=shuoba-intake
//     INTAKE_S3_REGION (default us-east-1; must match the server's location)
//     INTAKE_S3_ACCESS_KEY_ID / INTAKE_S3_SECRET_ACCESS_KEY (else the AWS SDK's usual sources)
//     INTAKE_S3_PATH_STYLE=0 for virtual-hosted URLs (bucket.endpoint; path-style by default)
// Keys (INTAKE_DATA/keys) and, with SQLite, the database stay in INTAKE_DATA either way.
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import path from 'node:path';
import { FolderMediaStore, S3MediaStore } from './mediaStore.ts';
import { createS3Client, type S3Settings } from './s3Client.ts';
import { FolderUploads, S3Uploads, type Storage } from './uploadBackend.ts';

export type StorageSettings = { kind: 'folder' } | ({ kind: 's3' } & S3Settings);

export class StorageSettingError extends Error {}

export function storageFromEnv(env: NodeJS.ProcessEnv): StorageSettings {
  const kind = env.INTAKE_STORAGE ?? 'folder';
  if (kind === 'folder') return { kind: 'folder' };
  if (kind !== 's3') throw new StorageSettingError(`INTAKE_STORAGE must be folder or s3, not ${kind}`);
  const endpoint = env.INTAKE_S3_ENDPOINT;
  const bucket = env.INTAKE_S3_BUCKET;
  if (!endpoint || !/^https?:\/\//.test(endpoint))
    throw new StorageSettingError('INTAKE_STORAGE=s3 needs INTAKE_S3_ENDPOINT (http(s)://host[:port])');
  if (!bucket) throw new StorageSettingError('INTAKE_STORAGE=s3 needs INTAKE_S3_BUCKET');
  return {
    kind: 's3',
    endpoint,
    bucket,
    region: env.INTAKE_S3_REGION ?? 'us-east-1',
    forcePathStyle: env.INTAKE_S3_PATH_STYLE !== '0',
    ...(env.INTAKE_S3_ACCESS_KEY_ID ? { accessKeyId: env.INTAKE_S3_ACCESS_KEY_ID } : {}),
    ...(env.INTAKE_S3_SECRET_ACCESS_KEY ? { secretAccessKey: env.INTAKE_S3_SECRET_ACCESS_KEY } : {}),
  };
}

/** Opens the media store and the matching upload backend; an S3 bucket is created if it is missing. */
export async function openStorage(settings: StorageSettings, dataDir: string, uploadExpiryMs: number): Promise<Storage> {
  if (settings.kind === 'folder') {
    const media = new FolderMediaStore(path.join(dataDir, 'media'));
    return { media, uploads: new FolderUploads(path.join(dataDir, 'uploads'), media, uploadExpiryMs) };
  }
  const client = createS3Client(settings);
  try {
    await client.send(new HeadBucketCommand({ Bucket: settings.bucket }));
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw e;
    await client.send(new CreateBucketCommand({ Bucket: settings.bucket })).catch((err: unknown) => {
      // Another process made it meanwhile.
      if (!/BucketAlready/.test((err as Error).name)) throw err;
    });
  }
  const media = new S3MediaStore(client, settings.bucket, 'media/', settings.endpoint);
  return { media, uploads: new S3Uploads(settings, media, uploadExpiryMs) };
}
