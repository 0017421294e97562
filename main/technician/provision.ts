// `booth provision --code CODE --intake URL`: exchanges a one-time enrolment code for this booth's
// credential and settings, and records the technician PIN. Idempotent on the booth side: running
// it again with a new code replaces the credential (e.g. after a revoke).
import { EnrolResponse, enrolPaths } from '../../contract/booth.ts';
import { hashPin, isAcceptablePin } from '../service/pin.ts';
import { BoothSettingsStore } from './settings.ts';
import { readJson, techFiles, writeJson, writeSecret } from './files.ts';

export type ProvisionResult =
  | { ok: true; boothCode: string; village: string; location: string; settingsRevision: number }
  | { ok: false; problem: string };

/** pin: the technician PIN to set; null keeps the one already set (re-enrolment from the service screen). */
export async function provision(o: { dataDir: string; intakeUrl: string; code: string; pin: string | null }): Promise<ProvisionResult> {
  if (o.pin !== null && !isAcceptablePin(o.pin)) return { ok: false, problem: 'The technician PIN must be 6–8 digits, not all the same and not a straight run like 123456.' };
  let url: URL;
  try {
    url = new URL(enrolPaths.enrol(), o.intakeUrl);
  } catch {
    return { ok: false, problem: `Not an address: ${o.intakeUrl}` };
  }
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: o.code }), signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    return { ok: false, problem: `The back office at ${o.intakeUrl} cannot be reached (${(e as Error).name}). Check the network and the address.` };
  }
  if (res.status === 401) {
    const reason = ((await res.json().catch(() => null)) as { error?: { details?: { reason?: string } } } | null)?.error?.details?.reason;
    const words: Record<string, string> = {
      used: 'This enrolment code was already used. Ask an admin for a new one (staff app → Fleet).',
      expired: 'This enrolment code has expired (codes are valid 24 hours). Ask an admin for a new one.',
      revoked: 'This booth was revoked, or a newer code was issued. Ask an admin for a new code.',
      unknown: 'This enrolment code is not known. Check the code for typing mistakes.',
    };
    return { ok: false, problem: words[reason ?? 'unknown'] ?? words.unknown! };
  }
  if (!res.ok) return { ok: false, problem: `The back office answered ${res.status}. Try again; call support if it persists.` };
  const parsed = EnrolResponse.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, problem: 'The back office sent an answer this booth does not understand (version mismatch?).' };
  const e = parsed.data;
  const files = techFiles(o.dataDir);
  await writeSecret(files.credential, `${e.credential}\n`);
  if (o.pin !== null) await writeSecret(files.pin, `${await hashPin(o.pin)}\n`);
  const existing = ((await readJson(files.config)) ?? {}) as Record<string, unknown>;
  await writeJson(files.config, { ...existing, boothCode: e.boothCode, intakeUrl: new URL(o.intakeUrl).toString().replace(/\/$/, '') });
  const settings = new BoothSettingsStore(o.dataDir);
  await settings.load();
  await settings.offer(e.settings);
  return { ok: true, boothCode: e.boothCode, village: e.village, location: e.location, settingsRevision: e.settings.revision };
}
