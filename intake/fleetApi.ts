// Technicians' routes on the intake (issue 8): the booth side of enrolment and settings under
// /api/v1, and the admin's fleet page API under /staff/api/fleet. Heartbeats are stored by the
// delivery code (issue 6); this file reads them through the FleetHeartbeats port.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  API_PREFIX,
  BoothSettings,
  DEFAULT_BOOTH_SETTINGS,
  EnrolRequest,
  enrolPaths,
  type EnrolResponse,
  type FleetHeartbeat,
} from '../contract/booth.ts';
import { intakeError } from './boothApi.ts';
import { enrolmentUri, formatCode } from './enrol/code.ts';
import { caFingerprint } from '../lib/caPin.ts';
import { EnrolmentService, type CredentialPort } from './enrol/service.ts';
import { DEFAULT_FLEET_LIMITS, fleetFlags, fleetOrder, HEARTBEAT_HISTORY_MS, INTAKE_ALERT_DAYS, type FleetLimits } from './fleet/flags.ts';
import type { BoothStore } from './store/booths.ts';
import { hourly, silentHours } from './fleet/history.ts';
import type { FleetHeartbeats } from './fleet/heartbeats.ts';
import { createLogger } from '../lib/log.ts';
import { staffRoute, StaffError, type StaffContext } from './staff/http.ts';
import { staffApi } from '../contract/staff/index.ts';
import { readSettings } from './staff/settings.ts';
import { changedKeys, writeAudit } from './store/audit.ts';
import { NumberStore } from './store/numbers.ts';

const log = createLogger('fleet-api');

export type { FleetHeartbeat };

export interface FleetApiDeps {
  booths: BoothStore;
  credentials: CredentialPort;
  heartbeats: FleetHeartbeats;
  /** The booth's identity from its credential (issue 6), or null when refused. */
  authenticateBooth(request: FastifyRequest): Promise<string | null>;
  /** Issue 7's staff context: admin routes go through its staffRoute (permission admin:booths). */
  staff: StaffContext;
  /** The public URL booths use to reach this intake (goes into the QR code). */
  publicUrl(request: FastifyRequest): string;
  limits?: Partial<FleetLimits>;
  now?: () => number;
  /** Where released packages are published for booths (electron-updater generic feed); null = none. */
  updatesDir?: string | null;
  /** The village CA booths must trust (PEM), served at enrolment and pinned by the QR; null = a public CA. */
  caPem?: string | null;
}

/** The booth's stored settings (no vocabulary): what the admin's fleet page edits. */
async function storedSettings(booths: BoothStore, boothCode: string): Promise<BoothSettings> {
  const json = await booths.settingsFor(boothCode);
  if (!json) return DEFAULT_BOOTH_SETTINGS;
  const parsed = BoothSettings.safeParse(JSON.parse(json));
  if (!parsed.success) {
    log.error({ boothCode }, 'stored booth settings do not parse; serving defaults');
    return DEFAULT_BOOTH_SETTINGS;
  }
  return parsed.data;
}

/**
 * What a booth receives: its stored settings with the back office's category vocabulary. The
 * revision is the stored one plus the vocabulary's: both only grow, so either edit reaches booths.
 */
export async function effectiveSettings(
  booths: BoothStore,
  boothCode: string,
  db: StaffContext['db'],
  statusBaseUrl: string | null = null,
): Promise<BoothSettings> {
  const stored = await storedSettings(booths, boothCode);
  const s = await readSettings(db);
  return { ...stored, revision: stored.revision + s.categoriesRevision, categories: s.categories, statusBaseUrl };
}

export function registerFleetApi(app: FastifyInstance, deps: FleetApiDeps): void {
  const now = deps.now ?? Date.now;
  const limits = { ...DEFAULT_FLEET_LIMITS, ...deps.limits };
  const enrolment = new EnrolmentService(deps.booths, deps.credentials);
  const caPem = deps.caPem ?? null;
  const caPin = caPem ? caFingerprint(caPem) : null;

  // ---- booth side ----
  // Codes have 50 bits and live 24 h; a per-address limit still stops anyone trying them in bulk.
  app.post(`${API_PREFIX}/enrol`, { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = EnrolRequest.safeParse(request.body);
    if (!body.success) return intakeError(reply, 'bad_request', z.prettifyError(body.error));
    const r = await enrolment.redeem(body.data.code, now());
    if (!r.ok) {
      log.warn({ reason: r.reason }, 'enrolment refused');
      return intakeError(reply, 'unauthorized', `enrolment code refused: ${r.reason}`, { reason: r.reason });
    }
    log.info({ boothCode: r.booth.boothId }, 'booth enrolled');
    // The intake is the authority for the booth's numbers: a re-imaged booth enrolling again numbers
    // above what the intake holds, and starts with a block of resident numbers.
    const numbers = await new NumberStore(deps.staff.db).authority(r.booth.boothId, now(), 0);
    const settings = await effectiveSettings(deps.booths, r.booth.boothId, deps.staff.db, deps.publicUrl(request));
    const answer: EnrolResponse = {
      boothCode: r.booth.boothId,
      village: r.booth.village,
      location: r.booth.location,
      credential: r.credential,
      settings,
      numbers,
    };
    return answer;
  });

  // The village CA, public like any CA certificate: a booth enrolling from the QR fetches it before it
  // trusts this server, and uses it only if its SHA-256 matches the QR's (contract/enrolQr.ts).
  app.get(enrolPaths.ca(), async (_request, reply) => {
    if (!caPem) return intakeError(reply, 'not_found', 'this back office has no village CA (its certificate is from a public CA)');
    return reply.type('application/x-pem-file').send(caPem);
  });

  app.get(`${API_PREFIX}/settings`, async (request, reply) => {
    const booth = await deps.authenticateBooth(request);
    if (!booth) return intakeError(reply, 'unauthorized', 'booth credential refused');
    // The public status page's address travels with the settings (the receipt's QR, issue 18).
    return effectiveSettings(deps.booths, booth, deps.staff.db, deps.publicUrl(request));
  });

  // The update feed: latest-linux.yml, its .sig, and the packages, copied here by whoever releases.
  // Public like any download mirror: the booth trusts the release signature, not this server.
  const FeedFile = z.object({ file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/) });
  app.get(`${API_PREFIX}/updates/linux/:file`, async (request, reply) => {
    const p = FeedFile.safeParse(request.params);
    if (!p.success || !deps.updatesDir || p.data.file.includes('..')) return intakeError(reply, 'not_found', 'no such release file');
    if (!existsSync(path.join(deps.updatesDir, p.data.file))) return intakeError(reply, 'not_found', 'no such release file');
    return reply.sendFile(p.data.file, deps.updatesDir);
  });

  // ---- admin side (issue 7's staffRoute: session, CSRF, Origin, permission admin:booths) ----
  const sc = deps.staff;
  const admin = { access: 'admin:booths' } as const;

  staffRoute(app, sc, { route: staffApi.fleet.fleet, ...admin }, async () => {
    const t = now();
    const numbers = new NumberStore(sc.db);
    // Every booth that holds a credential or was heard from, registered on this page or not.
    const rows = await Promise.all(
      (await deps.booths.listFleetBooths()).map(async (b) => {
        const hb = await deps.heartbeats.latest(b.boothId);
        const intakeAlerts = await numbers.alertsFor(b.boothId, t - INTAKE_ALERT_DAYS * 86_400_000);
        // A booth not enrolled yet is waiting for its technician, not a fault.
        const flags =
          b.enrolledAt === null && b.revokedAt === null
            ? []
            : fleetFlags(
                {
                  revoked: b.revokedAt !== null,
                  lastHeartbeatAt: hb?.receivedAt ?? null,
                  oldestUnsentAgeMs: hb?.oldestUnsentSec == null ? null : hb.oldestUnsentSec * 1000,
                  diskFreeBytes: hb?.diskFreeBytes ?? null,
                  diskNeedBytes: hb?.diskNeedBytes ?? null,
                  clockSkewMs: hb?.clockSkewMs ?? null,
                  // 'unknown' (not mapped, or not reported) is not a fault: only what the booth says is missing or failing.
                  faultyDevices: hb
                    ? Object.entries(hb.devices)
                        .filter(([, v]) => v === 'missing' || v === 'error')
                        .map(([k]) => k)
                    : [],
                  lastError: hb?.lastError ?? null,
                  alerts: hb?.alerts ?? [],
                  intakeAlerts: intakeAlerts.map((a) => a.message),
                },
                t,
                limits,
              );
        return {
          code: b.boothId,
          village: b.village,
          location: b.location,
          enrolledAt: b.enrolledAt,
          revokedAt: b.revokedAt,
          lastHeartbeatAt: hb?.receivedAt ?? null,
          heartbeat: hb,
          flags,
          intakeAlerts,
        };
      }),
    );
    return { now: t, limits, booths: fleetOrder(rows) };
  });

  staffRoute(app, sc, { route: staffApi.fleet.addBooth, ...admin }, async ({ body, request, user }) => {
    const r = await enrolment.addBooth(body, now());
    if (!r.ok)
      throw new StaffError(
        r.reason === 'exists' ? 'conflict' : 'bad_request',
        r.reason === 'exists' ? 'booth_in_service' : 'bad_booth_code',
      );
    log.info({ boothCode: r.booth.boothId, by: user.username }, 'booth added; enrolment code issued');
    return codeAnswer(r.booth.boothId, r.enrolmentCode, r.expiresAt, deps.publicUrl(request), caPin);
  });

  staffRoute(app, sc, { route: staffApi.fleet.revokeBooth, ...admin }, async ({ params, user }) => {
    if (!(await enrolment.revoke(params.code, now()))) {
      // A booth listed from its credential alone (not added on this page): its credential is what to revoke.
      const listed = (await deps.booths.listFleetBooths()).some((b) => b.boothId === params.code && b.revokedAt === null);
      if (!listed) throw new StaffError('not_found', 'no such booth');
      await deps.credentials.revoke(params.code, now());
    }
    log.info({ boothCode: params.code, by: user.username }, 'booth revoked');
    return { revoked: params.code };
  });

  staffRoute(app, sc, { route: staffApi.fleet.heartbeats, ...admin }, async ({ params }) => {
    const to = now();
    // Hours before the booth was enrolled are not silences.
    const booth = await deps.booths.getBooth(params.code);
    const from = Math.max(to - HEARTBEAT_HISTORY_MS, booth?.enrolledAt ?? booth?.createdAt ?? 0);
    const rows = await deps.heartbeats.since(params.code, from);
    const hours = hourly(rows);
    return { from, to, count: rows.length, hours, silentHours: silentHours(hours, from, to) };
  });

  staffRoute(app, sc, { route: staffApi.fleet.boothSettings, ...admin }, async () => effectiveSettings(deps.booths, '*', sc.db));

  staffRoute(app, sc, { route: staffApi.fleet.changeBoothSettings, ...admin }, async ({ body, user, request }) => {
    const current = await storedSettings(deps.booths, '*');
    const next: BoothSettings = { ...body, revision: current.revision + 1, categories: current.categories, statusBaseUrl: null };
    await deps.booths.putSettings('*', JSON.stringify(next), now());
    // Audited with what changed, before and after (issue 15): the fields the admin edits, not the revision.
    const diff = changedKeys(current as unknown as Record<string, unknown>, body as unknown as Record<string, unknown>);
    if (diff)
      await writeAudit(sc.db, {
        at: now(),
        user,
        action: 'booth_settings_changed',
        reason: Object.keys(diff.after).join(','),
        ip: request.ip,
        ...diff,
      });
    return effectiveSettings(deps.booths, '*', sc.db);
  });
}

async function codeAnswer(boothCode: string, code: string, expiresAt: number, intakeUrl: string, caPin: string | null) {
  const uri = enrolmentUri(code, intakeUrl, caPin);
  return {
    boothCode,
    enrolmentCode: formatCode(code),
    expiresAt,
    uri,
    qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
  };
}
