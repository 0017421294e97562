// `npm run intake`: the intake service alone, for a back-office server. The production start: it
// installs and builds nothing (the systemd unit packaging/systemd/shuoba-intake.service runs this file
// the same way; `npm run intake:dev` runs scripts/setup.sh first). docs/DEPLOY.md.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseWholeNumber } from '../lib/envNumber.ts';
import { listenOrExit } from '../lib/listenError.ts';
import type { Result } from '../lib/result.ts';
import { parseUploadExpiryDays } from './delivery/uploadExpiry.ts';
import { WEBHOOK_DEFAULTS } from './partners/dispatcher.ts';
import { createIntake, parsePublicUrl, STAFF_DIST } from './server.ts';
import { caFingerprint } from '../lib/caPin.ts';
import { storageFromEnv, type StorageSettings } from './media/storage.ts';

/** A bad number in the environment stops the start with the variable's name (exit 2). */
function wholeNumber(r: Result<number, string>): number {
  if (r.ok) return r.value;
  console.error(`intake: ${r.error}`);
  process.exit(2);
}

const port = wholeNumber(parseWholeNumber('INTAKE_PORT', process.env.INTAKE_PORT, { min: 0, max: 65_535, fallback: 4300 }));
const host = process.env.INTAKE_HOST ?? '127.0.0.1';
const dataDir = process.env.INTAKE_DATA ?? path.resolve('data/intake');
// The scale-out store: INTAKE_DATABASE_URL=postgres://user@host:5432/db. Unset: SQLite in dataDir.
const databaseUrl = process.env.INTAKE_DATABASE_URL || undefined;

// Media, playback copies and partial uploads: INTAKE_STORAGE=folder (default, INTAKE_DATA) or s3
// (an S3-compatible object store: INTAKE_S3_ENDPOINT, _BUCKET, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY).
let storage: StorageSettings;
try {
  storage = storageFromEnv(process.env);
} catch (e) {
  console.error(`intake: ${(e as Error).message}`);
  process.exit(2);
}

// Fleet flag "queue stuck": oldest unsent submission older than this many hours (default 6).
const stuckHours = wholeNumber(
  parseWholeNumber('FLEET_OLDEST_UNSENT_HOURS', process.env.FLEET_OLDEST_UNSENT_HOURS, {
    min: 1,
    max: 24 * 30,
    fallback: 6,
    unit: 'hours',
  }),
);
// Partial tus uploads are kept this many days (default 7: a booth offline over a long weekend resumes).
const uploadExpiryDays = wholeNumber(parseUploadExpiryDays(process.env.INTAKE_UPLOAD_EXPIRY_DAYS));
// Booths on other machines reach the intake over TLS only (their config refuses plain http to
// another host): INTAKE_TLS_KEY / INTAKE_TLS_CERT name PEM files, e.g. from a village CA.
const tlsKey = process.env.INTAKE_TLS_KEY;
const tlsCert = process.env.INTAKE_TLS_CERT;
const https = tlsKey && tlsCert ? { key: readFileSync(tlsKey), cert: readFileSync(tlsCert) } : undefined;
// INTAKE_TLS_CA: the village CA's certificate (PEM) when the certificate above is not from a public CA.
// Booths fetch it at enrolment and pin it by the fingerprint in the enrolment QR (docs/TECHNICIANS.md).
const tlsCa = process.env.INTAKE_TLS_CA;
let boothCaPem: string | undefined;
if (tlsCa) {
  const bad = (() => {
    try {
      boothCaPem = readFileSync(tlsCa, 'utf8');
      return caFingerprint(boothCaPem) ? null : 'it holds no PEM certificate';
    } catch (e) {
      return (e as Error).message;
    }
  })();
  if (bad) {
    console.error(`intake: INTAKE_TLS_CA ${tlsCa}: ${bad}`);
    process.exit(2);
  }
}
if (!https && host !== '127.0.0.1' && host !== 'localhost')
  console.warn('intake: listening beyond this machine without TLS; booths will refuse http:// to another host');
// Behind nginx/HAProxy (docs/DEPLOY.md): the proxies whose X-Forwarded-* headers are believed, and
// the public address for QR codes, links and the staff app's Origin.
const trustedProxies = (process.env.INTAKE_TRUSTED_PROXIES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const publicUrl = process.env.INTAKE_PUBLIC_URL || undefined;
if (publicUrl) {
  try {
    parsePublicUrl(publicUrl);
  } catch (e) {
    console.error(`intake: INTAKE_PUBLIC_URL: ${(e as Error).message}`);
    process.exit(2);
  }
}
// INTAKE_SECURE_COOKIES=1 forces Secure session cookies (=0 never; unset: https public URL or request).
const secureEnv = process.env.INTAKE_SECURE_COOKIES;
if (secureEnv !== undefined && secureEnv !== '' && secureEnv !== '0' && secureEnv !== '1') {
  console.error('intake: INTAKE_SECURE_COOKIES must be 1 or 0');
  process.exit(2);
}
// /metrics beyond loopback needs this bearer token (Prometheus on another host).
const metricsToken = process.env.INTAKE_METRICS_TOKEN || undefined;
// How often the 4th-day reminder ticker runs (default 60 s; the multi-process tests make it short).
const reminderEveryMs = wholeNumber(
  parseWholeNumber('INTAKE_REMINDER_EVERY_MS', process.env.INTAKE_REMINDER_EVERY_MS, { min: 100, max: 3_600_000, fallback: 60_000 }),
);
// Partner webhooks (docs/OPEN311.md): how often the outbox is polled, the first retry delay (it
// doubles up to an hour), and how long a claimed delivery stays leased to this process.
const webhookMs = (name: string, fallback: number) =>
  wholeNumber(parseWholeNumber(name, process.env[name], { min: 10, max: 86_400_000, fallback }));
const webhooks = {
  pollMs: webhookMs('INTAKE_WEBHOOK_POLL_MS', WEBHOOK_DEFAULTS.pollMs),
  retryBaseMs: webhookMs('INTAKE_WEBHOOK_RETRY_BASE_MS', WEBHOOK_DEFAULTS.retryBaseMs),
  retryMaxMs: webhookMs('INTAKE_WEBHOOK_RETRY_MAX_MS', WEBHOOK_DEFAULTS.retryMaxMs),
  leaseMs: webhookMs('INTAKE_WEBHOOK_LEASE_MS', WEBHOOK_DEFAULTS.leaseMs),
};
// Staff playback: stream copy where the browsers play the original (default), or a transcode of every recording.
const playbackEnv = process.env.INTAKE_PLAYBACK || 'copy-when-playable';
if (playbackEnv !== 'copy-when-playable' && playbackEnv !== 'transcode') {
  console.error('intake: INTAKE_PLAYBACK must be copy-when-playable or transcode');
  process.exit(2);
}
if (trustedProxies.length && !publicUrl)
  console.warn('intake: INTAKE_TRUSTED_PROXIES without INTAKE_PUBLIC_URL: QR codes and links use the Host the proxy forwards');
const intake = await createIntake({
  dataDir,
  ...(databaseUrl ? { databaseUrl } : {}),
  uploadExpiryDays,
  storage,
  webhooks,
  playback: playbackEnv,
  fleet: { limits: { oldestUnsentMaxMs: stuckHours * 3600_000 } },
  ...(https ? { https } : {}),
  ...(boothCaPem ? { boothCaPem } : {}),
  ...(trustedProxies.length ? { trustedProxies } : {}),
  ...(publicUrl ? { publicUrl } : {}),
  ...(secureEnv === '1' || secureEnv === '0' ? { secureCookie: secureEnv === '1' } : {}),
  ...(metricsToken ? { metricsToken } : {}),
  reminderEveryMs,
});
const address = await listenOrExit(() => intake.app.listen({ port, host }), { what: 'intake', host, port, envVar: 'INTAKE_PORT' });
console.log(`intake: ${address}/api/v1`);
console.log(`staff: ${address}/staff/`);
if (!existsSync(STAFF_DIST))
  console.warn('intake: the staff app is not built (dist/staff); build it once at install time with `npm run build`');
console.log(`store: ${databaseUrl ? 'postgres' : 'sqlite'}`);
console.log(`media: ${storage.kind === 's3' ? `s3 ${intake.media.where}` : intake.media.where}`);
if (publicUrl) console.log(`public: ${parsePublicUrl(publicUrl)}`);
if (boothCaPem) console.log(`village CA for booths: sha256 ${caFingerprint(boothCaPem)}`);
console.log(`partial uploads kept: ${uploadExpiryDays} days`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void intake.close().then(() => process.exit(0)));
