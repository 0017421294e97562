// One media item over tus 1.0 with tus-js-client: resume from the stored upload URL (HEAD first,
// then PATCH from the server's offset), else create. The URL is handed to `onUploadUrl` as soon as
// the server made it, so the caller can store it in the outbox before any byte is sent; after a
// crash the next attempt resumes instead of starting over. In-request retries are tus-js-client's,
// with the delays and the rule of retryPolicy.ts; what is left after them is returned as an
// AttemptOutcome for the job-level policy.
// A recording sealed at rest (lib/sealed.ts) is opened with the booth key and sent in clear, as a
// stream decrypted from the offset the server asks for: the intake receives the very bytes the
// booth hashed, so its sha256 check holds, and nothing clear is written to disk on the way.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Upload, type DetailedError } from 'tus-js-client';
import { isSealedMedia, openSealedMedia } from '../lib/sealed.ts';
import { BoothHttpStack, type Transport } from './httpStack.ts';
import { isRetryableStatus, type AttemptOutcome } from './retryPolicy.ts';

export interface TusItem {
  file: string;
  size: number;
  sha256: string;
  submissionId: string;
  index: number;
  /** The upload URL stored by a previous attempt, if any. */
  uploadUrl: string | null;
  /** The booth key, to open a sealed file (a file in clear, from before sealing, is sent as it is). */
  sealingKey?: Buffer;
}

/** tus-js-client's file source (its FileReader interface) over a sealed or clear file: slices are streams of clear bytes. */
interface ItemSource {
  size: number;
  slice(start: number, end: number): Promise<{ value: Readable & { size: number }; done: boolean }>;
  close(): void;
}

async function openItem(item: TusItem, opened: Readable[]): Promise<ItemSource> {
  const fh = await open(item.file, 'r');
  const head = Buffer.alloc(8);
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  let size: number;
  let range: (start: number, end: number) => Readable;
  if (isSealedMedia(head)) {
    if (!item.sealingKey) throw new Error('the item is sealed and no key was given to open it');
    const sealed = await openSealedMedia(item.file, item.sealingKey);
    size = sealed.size;
    range = (start, end) => sealed.range(start, end);
  } else {
    size = item.size;
    range = (start, end) => createReadStream(item.file, { start, end: end - 1 });
  }
  if (size !== item.size) throw new Error(`the item holds ${size} bytes, the outbox says ${item.size}`);
  return {
    size,
    slice: (start, end) => {
      const to = Math.min(end, size);
      // The HTTP stack sends `size` as Content-Length.
      const value = Object.assign(range(start, to), { size: to - start });
      opened.push(value);
      return Promise.resolve({ value, done: to >= size });
    },
    close: () => undefined,
  };
}

export interface TusUploadOptions {
  transport: Transport;
  /** e.g. https://intake.example/api/v1/uploads */
  endpoint: string;
  authorization: string;
  retryDelays: readonly number[];
  onUploadUrl(url: string): void | Promise<void>;
  onProgress?(bytesAccepted: number): void;
  /** Aborts the upload (worker stopping). */
  signal?: AbortSignal;
}

export type TusResult =
  | { ok: true; uploadUrl: string; madeProgress: boolean }
  | { ok: false; outcome: AttemptOutcome; madeProgress: boolean; uploadUrl: string | null };

function outcomeOf(err: Error | DetailedError): AttemptOutcome {
  const res = (err as DetailedError).originalResponse;
  if (res) {
    return {
      kind: 'http',
      status: res.getStatus(),
      retryAfter: res.getHeader('Retry-After') ?? null,
      message: res.getBody().slice(0, 200).trim(),
    };
  }
  const cause = (err as DetailedError).causingError;
  return { kind: 'network', message: (cause ?? err).message.slice(0, 200) };
}

export function uploadItem(item: TusItem, options: TusUploadOptions): Promise<TusResult> {
  return new Promise((resolve) => {
    let startOffset: number | null = null;
    let lastOffset = 0;
    let settled = false;
    // Opened here, so closed here: tus-js-client closes its source only after a success, and a
    // failed attempt (the intake away, a cut) used to leave one open file per attempt until the
    // booth ran out of descriptors. Every slice stream (each holds the file open) goes at the end.
    const opened: Readable[] = [];
    const finish = (result: TusResult) => {
      if (settled) return;
      settled = true;
      for (const stream of opened) stream.destroy();
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const progressed = () => startOffset !== null && lastOffset > startOffset;

    const upload = new Upload(item as never, {
      fileReader: { openFile: () => openItem(item, opened) },
      endpoint: options.endpoint,
      uploadUrl: item.uploadUrl,
      uploadSize: item.size,
      metadata: { submissionId: item.submissionId, index: String(item.index), sha256: item.sha256 },
      headers: { Authorization: options.authorization },
      httpStack: new BoothHttpStack(options.transport),
      retryDelays: [...options.retryDelays],
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: false,
      // Whole remainder in one PATCH: the least overhead; a cut resumes from the server's offset.
      chunkSize: Infinity,
      onShouldRetry: (err) => {
        const status = err.originalResponse?.getStatus();
        return status === undefined || status === 0 || isRetryableStatus(status);
      },
      onUploadUrlAvailable: () => {
        if (upload.url) void options.onUploadUrl(upload.url);
      },
      // The first progress value of the attempt is the server's offset (bytes it already had, which
      // do not count as progress); anything beyond it was sent in this attempt.
      onProgress: (sent) => {
        if (startOffset === null) startOffset = sent;
        lastOffset = Math.max(lastOffset, sent);
        options.onProgress?.(sent);
      },
      onSuccess: () => finish({ ok: true, uploadUrl: upload.url ?? '', madeProgress: progressed() }),
      onError: (err) => finish({ ok: false, outcome: outcomeOf(err), madeProgress: progressed(), uploadUrl: upload.url }),
    });
    const onAbort = () => {
      void upload.abort(false);
      finish({ ok: false, outcome: { kind: 'network', message: 'aborted' }, madeProgress: progressed(), uploadUrl: upload.url });
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    upload.start();
  });
}
