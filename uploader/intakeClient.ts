// HTTP client for the intake's booth API. It knows the wire; the worker knows the policy.
import { createReadStream } from 'node:fs';
import { IntakeError, ItemAck, SubmissionAck, paths, type SubmissionManifest } from '../intake/contract.ts';

/** What went wrong, classified for the retry policy. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null for a network error / timeout. */
    readonly status: number | null,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface IntakeClientOptions {
  baseUrl: string;
  timeoutMs?: number;
}

async function call(url: string, init: RequestInit & { duplex?: 'half' }, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new DeliveryError(`intake unreachable: ${(e as Error).message}`, null, 'network');
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const parsed = IntakeError.safeParse(body);
    const code = parsed.success ? parsed.data.error.code : 'http_error';
    const message = parsed.success ? parsed.data.error.message : text.slice(0, 200);
    throw new DeliveryError(`intake answered ${res.status}: ${message}`, res.status, code, parsed.success ? parsed.data.error.details : undefined);
  }
  return body;
}

export class IntakeClient {
  private readonly timeoutMs: number;
  constructor(private readonly options: IntakeClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  async uploadItem(submissionId: string, index: number, file: string, mime: string): Promise<ItemAck> {
    const body = await call(
      this.options.baseUrl + paths.uploadItem(submissionId, index),
      { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'x-media-type': mime }, body: createReadStream(file) as unknown as ReadableStream, duplex: 'half' },
      this.timeoutMs,
    );
    return ItemAck.parse(body);
  }

  async submit(manifest: SubmissionManifest): Promise<SubmissionAck> {
    const body = await call(
      this.options.baseUrl + paths.submit(),
      { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': manifest.submissionId }, body: JSON.stringify(manifest) },
      this.timeoutMs,
    );
    return SubmissionAck.parse(body);
  }
}
