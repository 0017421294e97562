// Peers measured beside the project's own code in the same run: what a plain HTTP copy, a copy
// that hashes and fsyncs, and tus-js-client with its defaults do with the same bytes on the same
// link or disk.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Upload } from 'tus-js-client';

export interface HttpSink {
  port: number;
  url: string;
  bytes: number;
  close(): Promise<void>;
}

/**
 * An HTTP server that takes PUT bodies. Without `dir` it counts and drops them (a plain copy over
 * the wire); with `dir` it writes each to a file, hashes it on the way and fsyncs it before
 * answering (the least an intake must do with a recording).
 */
export async function startHttpSink(dir?: string): Promise<HttpSink> {
  const sink: HttpSink = { port: 0, url: '', bytes: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    void (async () => {
      const hash = createHash('sha256');
      req.on('data', (c: Buffer) => {
        sink.bytes += c.length;
        hash.update(c);
      });
      if (dir) {
        const file = path.join(dir, `${randomUUID()}.bin`);
        await pipeline(req, createWriteStream(file));
        const h = await open(file, 'r+');
        await h.sync();
        await h.close();
        await rm(file);
      } else {
        req.resume();
        await new Promise((r) => req.on('end', r));
      }
      hash.digest('hex');
      res.writeHead(204).end();
    })().catch(() => res.writeHead(500).end());
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sink.port = (server.address() as AddressInfo).port;
  sink.url = `http://127.0.0.1:${sink.port}`;
  sink.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return sink;
}

/** One upload with tus-js-client and nothing but what the intake requires (endpoint, auth, metadata). */
export function tusDefaults(endpoint: string, token: string, bytes: Buffer, sha256: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(bytes, {
      endpoint,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { submissionId: randomUUID(), index: '0', sha256 },
      onSuccess: () => resolve(),
      onError: reject,
    });
    upload.start();
  });
}
