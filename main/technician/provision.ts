// `booth provision --code CODE --intake URL [--ca FILE]`: exchanges a one-time enrolment code for
// this booth's credential and settings, and records the technician PIN. Everything that can be
// checked without spending the code is checked first (the address is https or this machine, the
// intake answers over TLS with the CA given, the data folder is writable): a provision that fails
// leaves the code usable. Then the booth's files are written in an order a running core can follow
// (CA, settings, booth.json, and the credential last: the core takes the new identity when the
// credential changes, main/enrolment.ts). Running it again with a new code replaces the credential.
import { X509Certificate } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { EnrolRefusal } from '../../contract/kiosk.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { Outbox } from '../../uploader/outbox.ts';
import { checkIntakeTransport } from '../config.ts';
import { INTAKE_KEY_FILE } from '../intakeKey.ts';
import { hashPin, isAcceptablePin } from '../service/pin.ts';
import { BoothSettingsStore } from './settings.ts';
import { readJson, techFiles, writeJson, writeSecret } from './files.ts';

export type ProvisionResult =
  | { ok: true; boothCode: string; village: string; location: string; settingsRevision: number }
  | {
      ok: false;
      problem: string;
      reason: EnrolRefusal;
      /** true when the enrolment code was not sent (still usable). */ codeUnspent: boolean;
    };

/** Where a village CA given at provisioning is kept (booth.json's intakeCaFile points here). */
export const INTAKE_CA_FILE = path.join('keys', 'intake-ca.pem');

const refuse = (reason: EnrolRefusal, problem: string): ProvisionResult => ({ ok: false, problem, reason, codeUnspent: true });

/** A PEM bundle with at least one certificate that parses; else the reason. */
export function checkCaPem(pem: string): string | null {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks?.length) return 'it holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
  try {
    for (const b of blocks) new X509Certificate(b);
  } catch (e) {
    return `a certificate in it does not parse (${(e as Error).message})`;
  }
  return null;
}

export interface ProvisionOptions {
  dataDir: string;
  intakeUrl: string;
  code: string;
  /** The technician PIN to set; null keeps the one already set (re-enrolment from the service screen). */
  pin: string | null;
  /** PEM of a village CA; undefined = the one this booth already has (booth.json), else system roots. */
  caPem?: string;
  /**
   * The village CA's SHA-256 from the enrolment QR (contract/enrolQr.ts): the CA is fetched from the
   * intake and used only if it matches (instead of caPem). null/undefined: no village CA in the QR.
   */
  caFingerprint?: string | null;
}

export async function provision(o: ProvisionOptions): Promise<ProvisionResult> {
  if (o.pin !== null && !isAcceptablePin(o.pin))
    return refuse('bad_pin', 'The technician PIN must be 6–8 digits, not all the same and not a straight run like 123456.');
  let intakeUrl: string;
  try {
    const u = new URL(o.intakeUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return refuse('bad_address', `Not a web address: ${o.intakeUrl}`);
    intakeUrl = u.origin;
  } catch {
    return refuse('bad_address', `Not an address: ${o.intakeUrl}`);
  }
  const transport = checkIntakeTransport(intakeUrl);
  if (transport)
    return refuse(
      'not_https',
      `The back office must be reached over https:// (${intakeUrl} is plain http on another machine; personal data travels on this link). Ask for its https address, and its CA file if it has its own (--ca FILE).`,
    );

  const files = techFiles(o.dataDir);
  const existing = ((await readJson(files.config).catch(() => undefined)) ?? {}) as Record<string, unknown>;
  let caPem = o.caPem;
  if (o.caFingerprint) {
    const pinned = await fetchPinnedCa(intakeUrl, o.caFingerprint);
    if (!pinned.ok)
      return refuse(
        pinned.reason === 'unreachable' ? 'unreachable' : 'ca_mismatch',
        `The back office at ${intakeUrl} cannot be used: ${pinned.problem}. The enrolment code was not used.`,
      );
    caPem = pinned.pem;
  }
  // A QR without a CA (caFingerprint null) means a public CA: the system's roots, not a CA kept from before.
  if (caPem === undefined && o.caFingerprint === undefined && typeof existing.intakeCaFile === 'string')
    caPem = await fsp.readFile(existing.intakeCaFile, 'utf8').catch(() => undefined);
  if (caPem !== undefined) {
    const bad = checkCaPem(caPem);
    if (bad) return refuse('bad_ca', `The CA file cannot be used: ${bad}.`);
  }
  // The files below must be writable before the code is spent.
  try {
    await fsp.mkdir(path.join(o.dataDir, 'keys'), { recursive: true, mode: 0o700 });
    await fsp.access(o.dataDir, fsp.constants.W_OK);
  } catch (e) {
    return refuse(
      'data_not_writable',
      `The data folder ${o.dataDir} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Run provision as the booth user.`,
    );
  }

  const link = new IntakeLink({
    intakeUrl,
    token: () => null,
    idleTimeoutMs: 15_000,
    requestTimeoutMs: 10_000,
    ...(caPem ? { ca: caPem } : {}),
  });
  try {
    // Address, TLS and CA, checked against the intake before the code is spent.
    const health = await link.health();
    if (!health.reachable)
      return refuse(
        'unreachable',
        `The back office at ${intakeUrl} cannot be used: ${health.problem}. The enrolment code was not used; fix this and run provision again with the same code.`,
      );
    const answer = await link.enrol(o.code);
    if (answer.kind === 'code_refused') {
      const words: Record<string, string> = {
        used: 'This enrolment code was already used. Ask an admin for a new one (staff app → Fleet).',
        expired: 'This enrolment code has expired (codes are valid 24 hours). Ask an admin for a new one.',
        revoked: 'This booth was revoked, or a newer code was issued. Ask an admin for a new code.',
        unknown: 'This enrolment code is not known. Check the code for typing mistakes.',
      };
      const reason =
        ({ used: 'code_used', expired: 'code_expired', revoked: 'code_revoked' } as const)[answer.reason as 'used'] ?? 'code_unknown';
      return { ok: false, problem: words[answer.reason] ?? words.unknown!, reason, codeUnspent: answer.reason === 'unknown' };
    }
    if (answer.kind === 'failed')
      return {
        ok: false,
        problem: `Enrolment failed: ${answer.problem}. Try again; if the code is refused as used, ask an admin for a new one.`,
        reason: 'failed',
        codeUnspent: false,
      };
    const e = answer.response;

    let intakeCaFile: string | null = null;
    if (caPem) {
      intakeCaFile = path.resolve(o.dataDir, INTAKE_CA_FILE);
      await writeJsonText(intakeCaFile, caPem);
    }
    // The intake's high-water marks and a first block of resident numbers: a re-imaged booth numbers
    // above what the intake already holds from the first receipt on (docs/DELIVERY.md "Numbers").
    if (e.numbers) {
      const db = openBoothDb(path.join(o.dataDir, 'booth.db'));
      try {
        new Outbox(db, 'UTC').applyAuthority(e.numbers, Date.now());
      } finally {
        db.close();
      }
    }
    const settings = new BoothSettingsStore(o.dataDir);
    await settings.load();
    await settings.offer(e.settings);
    if (o.pin !== null) await writeSecret(files.pin, `${await hashPin(o.pin)}\n`);
    // Another back office has another identity key: the kept one must go (fetched again over the link).
    if (typeof existing.intakeUrl === 'string' && existing.intakeUrl.replace(/\/$/, '') !== intakeUrl)
      await fsp.rm(path.join(o.dataDir, INTAKE_KEY_FILE), { force: true });
    await writeJson(files.config, { ...existing, boothCode: e.boothCode, intakeUrl, intakeCaFile });
    // Last: a running core takes the new identity when it sees the credential change.
    await writeSecret(files.credential, `${e.credential}\n`);
    return { ok: true, boothCode: e.boothCode, village: e.village, location: e.location, settingsRevision: e.settings.revision };
  } finally {
    link.close();
  }
}

async function fetchPinnedCa(intakeUrl: string, fingerprint: string) {
  const link = new IntakeLink({ intakeUrl, token: () => null, idleTimeoutMs: 15_000, requestTimeoutMs: 10_000 });
  try {
    return await link.pinnedCa(fingerprint);
  } finally {
    link.close();
  }
}

async function writeJsonText(file: string, text: string): Promise<void> {
  await writeSecret(file, text.endsWith('\n') ? text : `${text}\n`);
  await fsp.chmod(file, 0o644);
}
