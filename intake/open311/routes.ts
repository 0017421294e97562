// Open311 GeoReport v2 under /open311/v2 (docs/OPEN311.md): discovery, services, service
// definitions, requests (list, one, POST for partner systems), tokens. Every resource in JSON and
// XML by its suffix. Public answers carry no personal data and no media; a key with cases:read
// gets the demand's text, the place given and the status steps; POST needs a key with cases:write.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { IntakeDatabase } from '../store/schema.ts';
import { OPEN311_PREFIX, OPEN311_SPEC, Open311PostForm } from '../../contract/open311.ts';
import { sealJson } from '../../lib/sealed.ts';
import { CASE_STATUSES } from '../casework/status.ts';
import { readSettings } from '../staff/settings.ts';
import { readPartnerSettings } from '../store/partnerSettings.ts';
import {
  caseNumberByToken,
  createPartnerCase,
  findRequests,
  recentPartnerDuplicate,
  requestNotes,
  type RequestRow,
} from '../store/open311.ts';
import { IdempotencyStore } from '../store/idempotencyKeys.ts';
import { systemClock } from '../../lib/clock.ts';
import { fingerprint, parseIdempotencyKey } from '../idempotency.ts';
import { type KeyGate, type PartnerKey } from '../partners/keyAuth.ts';
import { fail, type Format, Open311Failure, send, sendError, splitFormat, type Value } from './format.ts';
import {
  categoriesOf,
  type Jurisdiction,
  jurisdictionOf,
  open311Status,
  type Service,
  serviceOfCategory,
  servicesOf,
  statusesFor,
  statusLabel,
} from './vocabulary.ts';

export interface Open311Options {
  db: Kysely<IntakeDatabase>;
  contactKey: Buffer;
  gate: KeyGate;
  now: () => number;
}

type Lang = 'zh' | 'en';
const DAY = 86_400_000;
export const MAX_SPAN_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DESCRIPTION_MAX = 4000;
/** A POST repeated without an Idempotency-Key within this window answers the first case (docs/OPEN311.md). */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** Every service is a resident demand to the township; Open311's optional group says so. */
const GROUP: Record<Lang, string> = { zh: '接诉即办', en: 'Resident demands' };

const NOTICE: Record<Lang, string> = {
  zh: '已收到。乡镇（街道）派单后，承办单位在 7 个工作日内答复，之后回访诉求人。',
  en: 'Received. Once the township dispatches it, the handling unit answers within 7 working days; the resident is then called back.',
};

function langOf(request: FastifyRequest): Lang {
  const q = (request.query as Record<string, unknown>).lang;
  if (typeof q === 'string') return /^en/i.test(q) ? 'en' : 'zh';
  const al = request.headers['accept-language'];
  return typeof al === 'string' && /^en/i.test(al.trim()) ? 'en' : 'zh';
}

const W3_DATETIME = z.iso.datetime({ offset: true });

function param(request: FastifyRequest, name: string): string | undefined {
  const fromBody = request.method === 'POST' ? (request.body as Record<string, unknown> | undefined)?.[name] : undefined;
  const v = fromBody ?? (request.query as Record<string, unknown>)[name];
  // "Optional" in the spec: an empty parameter is the same as none.
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** jurisdiction_id: required when this intake serves several townships, optional with one, ignored with none. */
async function resolveJurisdiction(
  db: Kysely<IntakeDatabase>,
  request: FastifyRequest,
  key: PartnerKey | null,
): Promise<{ selected: Jurisdiction | null; all: Jurisdiction[] }> {
  const { jurisdictions } = await readPartnerSettings(db);
  const asked = param(request, 'jurisdiction_id');
  let selected: Jurisdiction | null = null;
  if (jurisdictions.length >= 2) {
    if (!asked)
      throw fail(
        400,
        'jurisdiction_id_missing',
        `jurisdiction_id was not provided; this endpoint serves ${jurisdictions.map((j) => j.id).join(', ')}`,
      );
    selected = jurisdictions.find((j) => j.id === asked) ?? null;
    if (!selected) throw fail(404, 'jurisdiction_not_found', `jurisdiction_id ${asked} was not found`);
  } else if (jurisdictions.length === 1) {
    if (asked && asked !== jurisdictions[0]!.id) throw fail(404, 'jurisdiction_not_found', `jurisdiction_id ${asked} was not found`);
    selected = null; // one township: every case is its
  }
  if (key?.jurisdictionId) {
    const mine = selected?.id ?? (jurisdictions.length === 1 ? jurisdictions[0]!.id : null);
    if (mine !== key.jurisdictionId) throw fail(403, 'api_key_jurisdiction', `this api_key is for jurisdiction_id ${key.jurisdictionId}`);
  }
  return { selected, all: jurisdictions };
}

function requestView(
  r: RequestRow,
  all: Jurisdiction[],
  services: readonly Service[],
  lang: Lang,
  full: boolean,
  notes: { at: string; action: string; detail: string }[],
): Record<string, Value> {
  const service = serviceOfCategory(services, r.category);
  const status = open311Status(r.status);
  const ext: Record<string, Value> = {
    status_detail: r.status,
    status_label: statusLabel(r.status)[lang],
    jurisdiction_id: jurisdictionOf(all, r.territory, r.booth_village ?? null, r.jurisdiction_id)?.id ?? null,
    source: r.source,
    dispatched_datetime: r.dispatched_at,
    answered_datetime: r.answered_at,
  };
  if (full) {
    ext.notes = notes.map((n) => {
      const d = JSON.parse(n.detail) as Record<string, unknown>;
      const to = typeof d.to === 'string' ? statusLabel(d.to)[lang] : null;
      return { datetime: n.at, type: n.action, description: to ?? '' };
    });
  }
  const village = r.territory ?? r.booth_village ?? null;
  return {
    service_request_id: r.case_number,
    status,
    status_notes: r.result && (r.status === 'answered' || r.status === 'called_back' || r.status === 'closed') ? r.result : null,
    service_name: service ? service[lang] : null,
    service_code: service?.code ?? null,
    description: full ? r.summary || null : null,
    agency_responsible: r.unit_name ?? null,
    service_notice: NOTICE[lang],
    requested_datetime: r.received_at,
    updated_datetime: r.updated_at ?? r.received_at,
    expected_datetime: r.due_at,
    address: full ? [r.location, village].filter(Boolean).join(', ') || null : village,
    address_id: null,
    zipcode: null,
    lat: null,
    long: null,
    media_url: null,
    extended_attributes: ext,
  };
}

/** Form fields, a repeated field as an array (attribute[code][]=…). */
function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export function registerOpen311(app: FastifyInstance, opts: Open311Options): void {
  const { db, gate } = opts;
  /** The services: the back office's category list as it is now (admins edit it). */
  const services = async () => servicesOf((await readSettings(db)).categories);
  const idempotency = new IdempotencyStore(db);

  void app.register(async (api) => {
    api.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
      done(null, parseForm(body as string)),
    );

    /** Runs a handler with its format; any failure becomes the spec's error list in that format. */
    const handle =
      (
        fileParam: string,
        fn: (ctx: { request: FastifyRequest; reply: FastifyReply; name: string; format: Format; lang: Lang }) => Promise<unknown>,
      ) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { name, format } = splitFormat((request.params as Record<string, string>)[fileParam] ?? '');
        const fmt: Format = format ?? 'xml';
        try {
          if (!format) throw fail(404, 'format_missing', 'add .xml or .json to the resource');
          return await fn({ request, reply, name, format: fmt, lang: langOf(request) });
        } catch (e) {
          if (e instanceof Open311Failure) {
            if (e.err.status === 429) reply.header('retry-after', String((e as Open311Failure & { retryAfter?: number }).retryAfter ?? 60));
            return sendError(reply, fmt, e.err);
          }
          request.log?.error?.(e);
          return sendError(reply, fmt, { status: 400, reason: 'service_error', description: 'General service error; try again later' });
        }
      };

    const keyFor = async (request: FastifyRequest, scope?: 'cases:read' | 'cases:write'): Promise<PartnerKey | null> => {
      const r = await gate.check(request, scope === 'cases:write' ? 'cases:write' : undefined);
      if (!r.ok) {
        const f = fail(r.status, r.code, r.description) as Open311Failure & { retryAfter?: number };
        if (r.retryAfterSec) f.retryAfter = r.retryAfterSec;
        throw f;
      }
      return r.key;
    };

    const discovery = handle('file', async ({ request, reply, name, format, lang }) => {
      if (name !== 'discovery') throw fail(404, 'not_found', `no resource ${name}`);
      const ps = await readPartnerSettings(db);
      const base = `${request.protocol}://${request.host}${OPEN311_PREFIX}`;
      return send(reply, format, 200, 'discovery', {
        changeset: '2026-12-07 00:00',
        contact: ps.contact || (lang === 'zh' ? '请联系乡镇（街道）接诉即办办公室' : 'Ask the township office that runs this service'),
        key_service:
          ps.keyService ||
          (lang === 'zh'
            ? '接入密钥由本系统管理员在工作台“系统对接”页发放'
            : 'API keys are issued by the administrator on the staff app’s Partner systems page'),
        endpoints: [
          {
            specification: OPEN311_SPEC,
            url: base,
            changeset: '2026-12-07 00:00',
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
        jurisdictions: ps.jurisdictions.map((j) => ({ jurisdiction_id: j.id, name: j.nameZh, name_en: j.nameEn || j.nameZh })),
      });
    });
    api.get('/open311/:file', discovery);

    api.get(
      `${OPEN311_PREFIX}/:file`,
      handle('file', async (ctx) => {
        const { request, reply, name, format, lang } = ctx;
        if (name === 'discovery') return discovery(request, reply);
        if (name === 'services') {
          await resolveJurisdiction(db, request, await keyFor(request));
          return send(
            reply,
            format,
            200,
            'services',
            (await services()).map((s) => ({
              service_code: s.code,
              service_name: s[lang],
              description: lang === 'zh' ? (s.short === s.zh ? s.zh : `${s.zh}（服务亭上显示为“${s.short}”）`) : s.en,
              metadata: false,
              type: 'realtime',
              keywords: [...new Set([s.zh, s.short, s.en])].join(', '),
              group: GROUP[lang],
            })),
            'service',
          );
        }
        if (name !== 'requests') throw fail(404, 'not_found', `no resource ${name}`);
        const key = await keyFor(request);
        const { selected, all } = await resolveJurisdiction(db, request, key);
        const full = !!key?.scopes.includes('cases:read');
        const ids = param(request, 'service_request_id');
        let rows: RequestRow[];
        if (ids) {
          rows = await findRequests(db, {
            numbers: ids
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
              .slice(0, MAX_REQUESTS),
            jurisdiction: selected,
            limit: MAX_REQUESTS,
          });
        } else {
          const startRaw = param(request, 'start_date');
          const endRaw = param(request, 'end_date');
          for (const [n, v] of [
            ['start_date', startRaw],
            ['end_date', endRaw],
          ] as const) {
            if (v && !W3_DATETIME.safeParse(v).success)
              throw fail(400, 'bad_date', `${n} must be a w3 datetime with a timezone, e.g. 2026-10-01T00:00:00+08:00`);
          }
          const now = opts.now();
          let end = endRaw ? Date.parse(endRaw) : startRaw ? Math.min(Date.parse(startRaw) + MAX_SPAN_DAYS * DAY, now) : now;
          const start = startRaw ? Date.parse(startRaw) : end - MAX_SPAN_DAYS * DAY;
          if (!endRaw && end < start) end = start;
          if (end < start) throw fail(400, 'bad_date_range', 'end_date is before start_date');
          if (end - start > MAX_SPAN_DAYS * DAY)
            throw fail(400, 'date_range_too_long', `start_date to end_date may not span more than ${MAX_SPAN_DAYS} days`);
          const codes = param(request, 'service_code')
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          const statusWords = param(request, 'status')
            ?.split(',')
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean);
          for (const s of statusWords ?? [])
            if (s !== 'open' && s !== 'closed') throw fail(400, 'bad_status', `status ${s}: use open or closed`);
          rows = await findRequests(db, {
            categories: codes?.flatMap(categoriesOf),
            statuses: statusWords
              ? [...new Set(statusWords.flatMap((s) => statusesFor(s as 'open' | 'closed', CASE_STATUSES)))]
              : undefined,
            from: new Date(start).toISOString(),
            to: new Date(end).toISOString(),
            jurisdiction: selected,
            limit: MAX_REQUESTS,
          });
        }
        const notes = full
          ? await requestNotes(
              db,
              rows.map((r) => r.id),
            )
          : [];
        const list = await services();
        return send(
          reply,
          format,
          200,
          'service_requests',
          rows.map((r) =>
            requestView(
              r,
              all,
              list,
              lang,
              full,
              notes.filter((n) => n.case_id === r.id),
            ),
          ),
          'request',
        );
      }),
    );

    api.get(
      `${OPEN311_PREFIX}/services/:file`,
      handle('file', async ({ request, reply, name, format }) => {
        await resolveJurisdiction(db, request, await keyFor(request));
        const s = (await services()).find((x) => x.code === name);
        if (!s) throw fail(404, 'service_code_not_found', `service_code ${name} was not found`);
        return send(reply, format, 200, 'service_definition', { service_code: s.code, attributes: [] });
      }),
    );

    api.get(
      `${OPEN311_PREFIX}/requests/:file`,
      handle('file', async ({ request, reply, name, format, lang }) => {
        const key = await keyFor(request);
        const { selected, all } = await resolveJurisdiction(db, request, key);
        const [row] = await findRequests(db, { numbers: [name], jurisdiction: selected, limit: 1 });
        if (!row) throw fail(404, 'request_not_found', `service_request_id ${name} was not found`);
        const full = !!key?.scopes.includes('cases:read');
        const notes = full ? await requestNotes(db, [row.id]) : [];
        return send(reply, format, 200, 'service_requests', [requestView(row, all, await services(), lang, full, notes)], 'request');
      }),
    );

    api.get(
      `${OPEN311_PREFIX}/tokens/:file`,
      handle('file', async ({ request, reply, name, format }) => {
        await resolveJurisdiction(db, request, await keyFor(request));
        const found = z.uuid().safeParse(name).success ? await caseNumberByToken(db, name.toLowerCase()) : undefined;
        if (!found) throw fail(404, 'token_not_found', `token ${name} was not found`);
        return send(reply, format, 200, 'service_requests', [{ service_request_id: found.case_number, token: name }], 'request');
      }),
    );

    api.post(
      `${OPEN311_PREFIX}/:file`,
      handle('file', async ({ request, reply, name, format, lang }) => {
        if (name !== 'requests') throw fail(404, 'not_found', `no resource ${name}`);
        const key = (await keyFor(request, 'cases:write'))!;
        const { selected, all } = await resolveJurisdiction(db, request, key);
        const raw = (typeof request.body === 'object' && request.body ? request.body : {}) as Record<string, unknown>;
        const flat = Object.fromEntries(
          Object.entries(raw)
            .filter(([k]) => !k.startsWith('attribute['))
            .map(([k, v]) => [k, Array.isArray(v) ? v[0] : v === null || v === undefined ? undefined : String(v)]),
        );
        const parsed = Open311PostForm.safeParse(Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== undefined && v !== '')));
        if (!parsed.success) {
          const missing = !flat.service_code;
          throw fail(
            400,
            missing ? 'service_code_missing' : 'bad_request',
            missing ? 'service_code was not provided' : z.prettifyError(parsed.error),
          );
        }
        const f = parsed.data;
        const service = (await services()).find((x) => x.code === f.service_code);
        if (!service) throw fail(404, 'service_code_not_found', `service_code ${f.service_code} was not found`);
        const hasLatLong = f.lat !== undefined && f.long !== undefined;
        if (!hasLatLong && !f.address_string && !f.address_id)
          throw fail(400, 'location_missing', 'a location is required: lat and long, or address_string, or address_id');
        if (hasLatLong && !(Math.abs(Number(f.lat)) <= 90 && Math.abs(Number(f.long)) <= 180))
          throw fail(400, 'bad_location', 'lat / long are not WGS84 degrees');
        const description = (f.description ?? '').replace(/\r\n/g, '\n').trim();
        if ([...description].length > DESCRIPTION_MAX)
          throw fail(400, 'description_too_long', `description is limited to ${DESCRIPTION_MAX} characters`);
        if (/<[a-z/!][^>]*>/i.test(description)) throw fail(400, 'description_html', 'description may not contain HTML');
        const address = f.address_string ?? (hasLatLong ? `${f.lat},${f.long}` : `address_id ${f.address_id}`);
        const contact = {
          phone: f.phone ?? null,
          name: [f.last_name, f.first_name].filter(Boolean).join('') || null,
          email: f.email ?? null,
        };
        const jurisdictionId = selected?.id ?? (all.length === 1 ? all[0]!.id : null);
        const settings = await readSettings(db);
        const answer = (status: number, caseNumber: string) =>
          send(
            reply,
            format,
            status,
            'service_requests',
            [{ service_request_id: caseNumber, service_notice: NOTICE[lang], account_id: null }],
            'request',
          );
        // A partner that lost our answer posts again: never a second case. With an Idempotency-Key
        // (draft-ietf-httpapi-idempotency-key-header, per API key) the first answer is replayed as is;
        // without one, the same request from the same key within DUPLICATE_WINDOW_MS answers 200 with
        // the first case's number.
        const canonical = JSON.stringify(
          { ...f, api_key: undefined, jurisdiction_id: jurisdictionId ?? undefined },
          [...Object.keys(f), 'jurisdiction_id'].sort(),
        );
        const rawIdem = request.headers['idempotency-key'];
        const idemKey = parseIdempotencyKey(rawIdem);
        if (rawIdem !== undefined && idemKey === null)
          throw fail(400, 'bad_idempotency_key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
        const scope = `partner:${key.id}`;
        let owner: string | null = null;
        if (idemKey) {
          const claim = await idempotency.claim(scope, idemKey, fingerprint(canonical), opts.now());
          if (claim.kind === 'replay')
            return answer(claim.response.status, (claim.response.body as { service_request_id: string }).service_request_id);
          if (claim.kind === 'reject') throw fail(claim.status, claim.code, claim.message);
          owner = claim.owner;
        } else {
          const dup = await recentPartnerDuplicate(db, key.id, canonical, new Date(opts.now() - DUPLICATE_WINDOW_MS).toISOString());
          if (dup) return answer(200, dup.case_number);
        }
        let c: { caseNumber: string };
        // The key's lease is renewed while the case is made (idempotencyKeys.ts whileHeld).
        const held = <T>(work: () => Promise<T>) =>
          owner && idemKey ? idempotency.whileHeld(scope, idemKey, owner, work, { ...systemClock, now: opts.now }) : work();
        try {
          c = await held(() =>
            createPartnerCase(
              db,
              {
                serviceCode: service.code,
                description,
                address: address.slice(0, 200),
                jurisdictionId,
                contactSealed:
                  contact.phone || contact.name || contact.email ? sealJson(contact, opts.contactKey).toString('base64') : null,
                keyId: key.id,
                keyName: key.name,
                canonical,
                mediaUrl: f.media_url ?? null,
                alsoInTransaction:
                  owner && idemKey
                    ? (trx, caseNumber) =>
                        idempotency.complete(trx, scope, idemKey, owner!, { status: 201, body: { service_request_id: caseNumber } })
                    : undefined,
              },
              opts.now(),
              settings.timeZone,
            ),
          );
        } catch (e) {
          if (owner && idemKey) await idempotency.release(scope, idemKey, owner);
          throw e;
        }
        return answer(201, c.caseNumber);
      }),
    );
  });
}
