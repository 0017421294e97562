// The booth's one link to the intake (issue 13 item 3, issue 20): every call the booth makes to
// its back office goes through here — media items over tus, the manifest with its
// Idempotency-Key, heartbeats, settings, the identity key, enrolment, health and the update
// feed — over one HTTP stack (httpStack.ts: timeouts, throttle, the village CA), with the paths of
// the booth API contract. It knows the wire and turns every answer into a value, an AttemptOutcome
// (delivery: retryPolicy.ts decides what follows) or a problem in plain words (the technician's tools).
import {
  EnrolResponse,
  IntakeError,
  SubmissionAck,
  enrolPaths,
  paths,
  type Heartbeat,
  type SubmissionManifest,
} from '../contract/booth.ts';
import { requestJson, requestRaw, Transport, type JsonResponse, type TransportOptions } from './httpStack.ts';
import { IN_REQUEST_DELAYS_MS, type AttemptOutcome } from './retryPolicy.ts';
import { uploadItem, type TusItem, type TusResult } from './tusUpload.ts';
import { caFingerprint } from '../lib/caPin.ts';

export interface IntakeLinkOptions extends TransportOptions {
  /** Base URL of the intake, e.g. https://intake.example or http://127.0.0.1:4300. A getter is read
   *  on every request (a booth provisioned while running learns its address then); '' = none yet. */
  intakeUrl: string;
  /** `sb1.<boothCode>.<secret>` issued at enrolment; a function is asked on every request, so a
   *  credential written by provisioning (or replaced after a revoke) is used without a restart.
   *  null = not enrolled yet: requests go without one and the intake answers 401. */
  token: string | (() => string | null);
  inRequestDelaysMs?: readonly number[];
  /** Deadline of one small request (settings, key, health, enrolment, heartbeat). */
  requestTimeoutMs?: number;
}

export type FinaliseResult =
  { ok: true; ack: SubmissionAck } | { ok: false; outcome: AttemptOutcome; code: string | null; missing: number[] };

/** What a TLS or network failure means, in words a technician can act on. */
export function linkProblem(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const words: Record<string, string> = {
    ECONNREFUSED: 'nothing answers at that address and port',
    ENOTFOUND: 'the name of that address cannot be resolved',
    EAI_AGAIN: 'the name of that address cannot be resolved (no DNS answer)',
    ETIMEDOUT: 'no answer in time',
    EHOSTUNREACH: 'the host cannot be reached from this network',
    ENETUNREACH: 'this booth has no route to that network',
    ECONNRESET: 'the connection was cut',
    EPROTO: 'the other side does not speak TLS (is it http:// rather than https://?)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not signed by a CA this booth trusts (give the village CA with --ca FILE)',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not signed by a CA this booth trusts (give the village CA with --ca FILE)',
    SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate comes from a CA this booth does not trust (give the village CA with --ca FILE)',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'it shows a self-signed TLS certificate (give its CA with --ca FILE)',
    CERT_HAS_EXPIRED: 'its TLS certificate has expired (or this booth clock is wrong)',
    CERT_NOT_YET_VALID: 'its TLS certificate is not valid yet (is this booth clock wrong?)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is made out for another name or address',
  };
  if (words[code]) return words[code];
  if (/^ERR_SSL|ssl3?_get_record|wrong version number/i.test(`${code} ${err.message ?? ''}`)) return words.EPROTO!;
  return err.message ? `network error: ${err.message}` : 'network error';
}

/** The codes of linkProblem that mean "TLS trust", for callers that must say so. */
export const isTlsTrustError = (e: unknown): boolean => /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME/.test((e as { code?: string }).code ?? '');

export type SettingsAnswer =
  { kind: 'ok'; body: unknown } | { kind: 'refused'; status: number; revoked: boolean } | { kind: 'unreachable'; problem: string };
export type HealthAnswer = { reachable: true; intakeMs: number | null } | { reachable: false; intakeMs: number | null; problem: string };
export type PinnedCaAnswer = { ok: true; pem: string } | { ok: false; reason: 'unreachable' | 'no_ca' | 'ca_mismatch'; problem: string };
export type EnrolAnswer =
  { kind: 'enrolled'; response: EnrolResponse } | { kind: 'code_refused'; reason: string } | { kind: 'failed'; problem: string };

export class IntakeLink {
  readonly transport: Transport;
  constructor(readonly options: IntakeLinkOptions) {
    this.transport = new Transport(options);
  }

  get authorization(): string {
    const token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;
    return token ? `Bearer ${token}` : '';
  }

  /** The intake's address now ('' when the booth has none). */
  get base(): string {
    return (this.options.intakeUrl ?? '').replace(/\/$/, '');
  }

  private url(path: string): string {
    const base = this.base;
    if (!base) throw Object.assign(new Error('no back-office address is set (not enrolled)'), { code: 'NOT_ENROLLED' });
    return `${base}${path}`;
  }

  private get limits() {
    return { timeoutMs: this.options.requestTimeoutMs ?? 10_000 };
  }

  private authHeaders(): Record<string, string> {
    const a = this.authorization;
    return a ? { authorization: a } : {};
  }

  /** A village CA given at provisioning: used from the next request on. */
  setCa(ca: string | Buffer | undefined): void {
    this.transport.setCa(ca);
  }

  uploadItem(item: TusItem, onUploadUrl: (url: string) => void, signal?: AbortSignal): Promise<TusResult> {
    return uploadItem(item, {
      transport: this.transport,
      endpoint: this.url(paths.uploads()),
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
        this.url(paths.submit()),
        // Structured-field string, as the draft says.
        { ...this.authHeaders(), 'idempotency-key': `"${manifest.submissionId}"` },
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
      outcome: {
        kind: 'http',
        status: res.status,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        message: parsed.success ? parsed.data.error.message : undefined,
      },
      code: parsed.success ? parsed.data.error.code : null,
      missing: Array.isArray(details?.missing) ? details.missing : [],
    };
  }

  /** One heartbeat; the answer (status and body, e.g. the case-number high-water mark). */
  heartbeat(body: Heartbeat): Promise<JsonResponse> {
    return requestJson(this.transport, 'POST', this.url(paths.heartbeats()), this.authHeaders(), body, this.limits);
  }

  /** The back office's settings for this booth (with its credential). */
  async settings(signal?: AbortSignal): Promise<SettingsAnswer> {
    try {
      const res = await requestJson(this.transport, 'GET', this.url(enrolPaths.settings()), this.authHeaders(), undefined, {
        ...this.limits,
        ...(signal ? { signal } : {}),
      });
      if (res.status === 401 || res.status === 403) {
        const parsed = IntakeError.safeParse(res.body);
        const reason = parsed.success ? (parsed.data.error.details as { reason?: string } | undefined)?.reason : undefined;
        return {
          kind: 'refused',
          status: res.status,
          revoked: reason === 'revoked' || (parsed.success && /revoked/i.test(parsed.data.error.message)),
        };
      }
      if (res.status !== 200) return { kind: 'unreachable', problem: `the back office answered HTTP ${res.status}` };
      return { kind: 'ok', body: res.body };
    } catch (e) {
      return { kind: 'unreachable', problem: linkProblem(e) };
    }
  }

  /** The intake's identity public key (PEM), which real-name data is sealed to. */
  async identityKey(): Promise<string> {
    const res = await requestJson(this.transport, 'GET', this.url(paths.identityKey()), this.authHeaders(), undefined, this.limits);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const pem = (res.body as { publicKeyPem?: unknown } | null)?.publicKeyPem;
    if (typeof pem !== 'string') throw new Error('the identity key answer has no publicKeyPem');
    return pem;
  }

  /** Reachability, and the intake's clock from its Date header (second resolution). */
  async health(timeoutMs = this.limits.timeoutMs): Promise<HealthAnswer> {
    if (!this.base) return { reachable: false, intakeMs: null, problem: 'not enrolled' };
    try {
      const res = await requestRaw(this.transport, 'GET', this.url(paths.health()), {}, undefined, { timeoutMs });
      const date = res.headers.date;
      const parsed = date ? Date.parse(date) : NaN;
      const intakeMs = Number.isNaN(parsed) ? null : parsed;
      return res.status < 500
        ? { reachable: true, intakeMs }
        : { reachable: false, intakeMs, problem: `the back office answered HTTP ${res.status}` };
    } catch (e) {
      return { reachable: false, intakeMs: null, problem: linkProblem(e) };
    }
  }

  /**
   * The village CA from the intake (enrolment from the QR, contract/enrolQr.ts), returned only when
   * its SHA-256 is the fingerprint the QR carries. This one request does not verify the server (the
   * booth does not trust the CA yet): the fingerprint is the trust. Everything after it — the health
   * check before the code is spent, the enrolment, every later call — verifies the server against it.
   */
  async pinnedCa(fingerprint: string): Promise<PinnedCaAnswer> {
    const transport = new Transport({ idleTimeoutMs: this.transport.options.idleTimeoutMs, unverifiedTlsForPinnedCa: true });
    let res;
    try {
      res = await requestRaw(transport, 'GET', this.url(enrolPaths.ca()), {}, undefined, this.limits);
    } catch (e) {
      return { ok: false, reason: 'unreachable', problem: linkProblem(e) };
    } finally {
      transport.destroy();
    }
    if (res.status === 404)
      return { ok: false, reason: 'no_ca', problem: 'the back office says it has no village CA, but the QR names one' };
    if (res.status !== 200) return { ok: false, reason: 'unreachable', problem: `the back office answered HTTP ${res.status}` };
    const pem = res.body.toString('utf8');
    if (caFingerprint(pem) !== fingerprint.toLowerCase())
      return {
        ok: false,
        reason: 'ca_mismatch',
        problem:
          "the CA this address sends is not the one in the QR (another server answers at that address, or the back office's CA changed)",
      };
    return { ok: true, pem };
  }

  /** Redeems a one-time enrolment code (no credential yet). */
  async enrol(code: string): Promise<EnrolAnswer> {
    let res: JsonResponse;
    try {
      res = await requestJson(
        this.transport,
        'POST',
        this.url(enrolPaths.enrol()),
        {},
        { code },
        { timeoutMs: Math.max(this.limits.timeoutMs, 15_000) },
      );
    } catch (e) {
      return { kind: 'failed', problem: linkProblem(e) };
    }
    if (res.status === 401) {
      const reason = (res.body as { error?: { details?: { reason?: string } } } | null)?.error?.details?.reason;
      return { kind: 'code_refused', reason: reason ?? 'unknown' };
    }
    if (res.status !== 200 && res.status !== 201) return { kind: 'failed', problem: `the back office answered HTTP ${res.status}` };
    const parsed = EnrolResponse.safeParse(res.body);
    if (!parsed.success)
      return { kind: 'failed', problem: 'the back office sent an answer this booth does not understand (version mismatch?)' };
    return { kind: 'enrolled', response: parsed.data };
  }

  /** The update feed's signed manifest (latest-linux.yml and its .sig); null when there is none. */
  async updateManifest(timeoutMs = 15_000): Promise<{ manifest: Buffer; signature: string } | null> {
    const feed = paths.updateFeed();
    const m = await requestRaw(this.transport, 'GET', this.url(`${feed}latest-linux.yml`), this.authHeaders(), undefined, { timeoutMs });
    if (m.status === 404) return null;
    const s = await requestRaw(this.transport, 'GET', this.url(`${feed}latest-linux.yml.sig`), this.authHeaders(), undefined, {
      timeoutMs,
    });
    if (m.status !== 200 || s.status !== 200) throw new Error(`update feed answered ${m.status}/${s.status}`);
    return { manifest: m.body, signature: s.body.toString('utf8').trim() };
  }

  /** The feed's address, for electron-updater's own downloads (it is given the same CA). */
  updateFeedUrl(): string {
    return this.url(paths.updateFeed());
  }

  close(): void {
    this.transport.destroy();
  }
}
