// The booth's client for the intake's booth API (/api/v1): media items over tus, the manifest
// with its Idempotency-Key. It knows the wire and turns every answer into either a value or an
// AttemptOutcome; the policy (retryPolicy.ts) and the outbox (delivery.ts) decide what follows.
import { API_PREFIX, IntakeError, SubmissionAck, type SubmissionManifest } from '../contract/booth.ts';
import { requestJson, Transport, type TransportOptions } from './httpStack.ts';
import { IN_REQUEST_DELAYS_MS, type AttemptOutcome } from './retryPolicy.ts';
import { uploadItem, type TusItem, type TusResult } from './tusUpload.ts';

export interface BoothClientOptions extends TransportOptions {
  /** Base URL of the intake, e.g. https://intake.example or http://127.0.0.1:4300 */
  intakeUrl: string;
  /** `sb1.<boothCode>.<secret>` issued at enrolment; a function is asked on every request, so a
   *  credential written by provisioning (or replaced after a revoke) is used without a restart.
   *  null = not enrolled yet: requests go without one and the intake answers 401. */
  token: string | (() => string | null);
  inRequestDelaysMs?: readonly number[];
}

export type FinaliseResult =
  | { ok: true; ack: SubmissionAck }
  | { ok: false; outcome: AttemptOutcome; code: string | null; missing: number[] };

export class BoothClient {
  readonly transport: Transport;
  constructor(readonly options: BoothClientOptions) {
    this.transport = new Transport(options);
  }

  get authorization(): string {
    const token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;
    return token ? `Bearer ${token}` : '';
  }

  uploadItem(item: TusItem, onUploadUrl: (url: string) => void, signal?: AbortSignal): Promise<TusResult> {
    return uploadItem(item, {
      transport: this.transport,
      endpoint: `${this.options.intakeUrl}${API_PREFIX}/uploads`,
      authorization: this.authorization,
      retryDelays: this.options.inRequestDelaysMs ?? IN_REQUEST_DELAYS_MS,
      onUploadUrl,
      ...(signal ? { signal } : {}),
    });
  }

  async finalise(manifest: SubmissionManifest): Promise<FinaliseResult> {
    let res;
    try {
      res = await requestJson(
        this.transport,
        'POST',
        `${this.options.intakeUrl}${API_PREFIX}/submissions`,
        // Structured-field string, as the draft says.
        { authorization: this.authorization, 'idempotency-key': `"${manifest.submissionId}"` },
        manifest,
      );
    } catch (e) {
      return { ok: false, outcome: { kind: 'network', message: (e as Error).message }, code: null, missing: [] };
    }
    if (res.status === 200 || res.status === 201) {
      const ack = SubmissionAck.safeParse(res.body);
      if (ack.success) return { ok: true, ack: ack.data };
      return { ok: false, outcome: { kind: 'http', status: 502, message: 'malformed acknowledgement' }, code: null, missing: [] };
    }
    const parsed = IntakeError.safeParse(res.body);
    const retryAfter = res.headers['retry-after'];
    const details = parsed.success ? (parsed.data.error.details as { missing?: number[] } | undefined) : undefined;
    return {
      ok: false,
      outcome: { kind: 'http', status: res.status, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, message: parsed.success ? parsed.data.error.message : undefined },
      code: parsed.success ? parsed.data.error.code : null,
      missing: Array.isArray(details?.missing) ? details.missing : [],
    };
  }

  close(): void {
    this.transport.destroy();
  }
}
