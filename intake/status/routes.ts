// The public, read-only status page of a case for the resident who made it (issue 18): reached by
// the receipt's QR (/s/<token>, a per-case secret, lib/statusToken.ts) or by the receipt's number
// plus the last 4 digits of the callback phone, rate-limited per address. It shows received →
// assigned → answered → closed with dates and the unit's answer, never personal data or media, and
// takes the resident's rating once. JSON under /api/status/…, the page itself under /s (no
// script: plain HTML forms, mobile first, zh-CN first, ?lang=en).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { unsealJson } from '../../lib/sealed.ts';
import { STATUS_TOKEN, statusTokenHash } from '../../lib/statusToken.ts';
import type { Satisfaction } from '../casework/rates.ts';
import { casesByNumber, caseIdByToken, publicCaseStatus, type PublicCaseStatus, recordResidentRating } from '../store/residentStatus.ts';
import type { IntakeDatabase } from '../store/schema.ts';
import type { RateLimits } from '../store/rateLimits.ts';
import { renderLookup, renderStatus, type PageLang } from './page.ts';

export interface StatusRouteDeps {
  db: Kysely<IntakeDatabase>;
  contactKey: Buffer;
  now: () => number;
  /** Counts looks in the store, shared by all intake processes (intake/store/rateLimits.ts). */
  rateLimits: RateLimits;
  /** Looks per address per window: tokens (QR) and number + phone lookups are counted apart. */
  limits?: Partial<StatusLimits>;
}

export interface StatusLimits {
  windowMs: number;
  /** Opening /s/<token> (a QR): generous, a token cannot be guessed. */
  tokenLooks: number;
  /** Number + last 4 phone digits: tight, 4 digits are only 10 000 tries. */
  numberLooks: number;
}

export const DEFAULT_STATUS_LIMITS: StatusLimits = { windowMs: 15 * 60_000, tokenLooks: 60, numberLooks: 10 };

const RATINGS = ['satisfied', 'basically', 'unsatisfied'] as const;
const Rating = z.enum(RATINGS);
const Lookup = z.object({ number: z.string().trim().min(1).max(40), phoneLast4: z.string().regex(/^\d{4}$/) });
const TokenParam = z.object({ token: z.string().regex(STATUS_TOKEN) });

type Found = { ok: true; caseId: string } | { ok: false; code: 'not_found' | 'rate_limited' };

function apiError(
  reply: FastifyReply,
  code: 'not_found' | 'rate_limited' | 'bad_request' | 'already_rated' | 'not_answered',
  message: string,
): FastifyReply {
  const status = { not_found: 404, rate_limited: 429, bad_request: 400, already_rated: 409, not_answered: 409 }[code];
  return reply.code(status).send({ error: { code, message } });
}

/** The token is the key to the page: never sent on to another site, never cached, never indexed. */
function privateHeaders(reply: FastifyReply): void {
  reply.header('Referrer-Policy', 'no-referrer').header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex, nofollow');
}

/** Whether the case's sealed callback phone ends in these 4 digits (no phone, or unreadable: no). */
function phoneEndsWith(contactSealed: string | null, last4: string, contactKey: Buffer): boolean {
  if (!contactSealed) return false;
  try {
    const phone = unsealJson<{ phone?: string | null }>(Buffer.from(contactSealed, 'base64'), contactKey).phone ?? '';
    const digits = phone.replace(/\D/g, '');
    return digits.length >= 4 && digits.slice(-4) === last4;
  } catch {
    return false;
  }
}

export function registerStatusRoutes(root: FastifyInstance, deps: StatusRouteDeps): void {
  // In its own scope: the page's plain HTML forms post urlencoded bodies, parsed here only.
  void root.register(async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    statusRoutes(app, deps);
  });
}

function statusRoutes(app: FastifyInstance, deps: StatusRouteDeps): void {
  const limits = { ...DEFAULT_STATUS_LIMITS, ...deps.limits };
  const allow = async (bucket: string, ip: string, max: number): Promise<boolean> =>
    (await deps.rateLimits.hit(bucket, ip, max, limits.windowMs)).allowed;

  const byToken = async (request: FastifyRequest, token: string): Promise<Found> => {
    if (!(await allow('status-token', request.ip, limits.tokenLooks))) return { ok: false, code: 'rate_limited' };
    const caseId = await caseIdByToken(deps.db, statusTokenHash(token));
    return caseId ? { ok: true, caseId } : { ok: false, code: 'not_found' };
  };
  // A wrong number and wrong digits answer the same, so neither can be found out alone.
  const byNumber = async (request: FastifyRequest, number: string, last4: string): Promise<Found> => {
    if (!(await allow('status-number', request.ip, limits.numberLooks))) return { ok: false, code: 'rate_limited' };
    for (const c of await casesByNumber(deps.db, number)) {
      if (phoneEndsWith(c.contact_sealed, last4, deps.contactKey)) return { ok: true, caseId: c.id };
    }
    return { ok: false, code: 'not_found' };
  };
  const rate = async (caseId: string, rating: Satisfaction): Promise<'ok' | 'already_rated' | 'not_answered' | 'not_found'> => {
    const s = await publicCaseStatus(deps.db, caseId);
    if (!s) return 'not_found';
    if (s.rating !== null) return 'already_rated';
    if (!s.canRate) return 'not_answered';
    return (await recordResidentRating(deps.db, caseId, rating, deps.now())) ? 'ok' : 'already_rated';
  };
  const NOT_FOUND = 'no case with this number and phone, or this link';
  const LIMITED = 'too many looks from this address; try again later';
  const answerFound = async (reply: FastifyReply, f: Found): Promise<FastifyReply | PublicCaseStatus> => {
    if (!f.ok) return apiError(reply, f.code, f.code === 'rate_limited' ? LIMITED : NOT_FOUND);
    const s = await publicCaseStatus(deps.db, f.caseId);
    return s ?? apiError(reply, 'not_found', NOT_FOUND);
  };
  const answerRated = async (reply: FastifyReply, f: Found, rating: Satisfaction): Promise<FastifyReply | PublicCaseStatus> => {
    if (!f.ok) return apiError(reply, f.code, f.code === 'rate_limited' ? LIMITED : NOT_FOUND);
    const r = await rate(f.caseId, rating);
    if (r === 'already_rated') return apiError(reply, r, 'this case has been rated already');
    if (r === 'not_answered') return apiError(reply, r, 'the case can be rated once it is answered');
    if (r === 'not_found') return apiError(reply, r, NOT_FOUND);
    return (await publicCaseStatus(deps.db, f.caseId))!;
  };

  // ---- JSON ----
  app.get('/api/status/:token', async (request, reply) => {
    privateHeaders(reply);
    const p = TokenParam.safeParse(request.params);
    if (!p.success) return apiError(reply, 'not_found', NOT_FOUND);
    return answerFound(reply, await byToken(request, p.data.token));
  });
  app.post('/api/status/lookup', async (request, reply) => {
    privateHeaders(reply);
    const b = Lookup.safeParse(request.body);
    if (!b.success) return apiError(reply, 'bad_request', 'give number and phoneLast4 (4 digits)');
    return answerFound(reply, await byNumber(request, b.data.number, b.data.phoneLast4));
  });
  app.post('/api/status/:token/rating', async (request, reply) => {
    privateHeaders(reply);
    const p = TokenParam.safeParse(request.params);
    const b = z.object({ rating: Rating }).safeParse(request.body);
    if (!p.success) return apiError(reply, 'not_found', NOT_FOUND);
    if (!b.success) return apiError(reply, 'bad_request', `rating is one of ${RATINGS.join(', ')}`);
    return answerRated(reply, await byToken(request, p.data.token), b.data.rating);
  });
  app.post('/api/status/lookup/rating', async (request, reply) => {
    privateHeaders(reply);
    const b = Lookup.extend({ rating: Rating }).safeParse(request.body);
    if (!b.success) return apiError(reply, 'bad_request', 'give number, phoneLast4 (4 digits) and rating');
    return answerRated(reply, await byNumber(request, b.data.number, b.data.phoneLast4), b.data.rating);
  });

  // ---- the page (HTML forms, no script) ----
  const langOf = (request: FastifyRequest): PageLang => ((request.query as { lang?: string } | undefined)?.lang === 'en' ? 'en' : 'zh-CN');
  const html = (reply: FastifyReply, status: number, body: string) => {
    privateHeaders(reply);
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
      .send(body);
  };
  const Form = z.object({ number: z.string().default(''), phoneLast4: z.string().default(''), rating: z.string().optional() });

  app.get('/s', async (request, reply) => html(reply, 200, renderLookup(langOf(request), null)));
  app.post('/s', async (request, reply) => {
    const lang = langOf(request);
    const f = Form.parse(request.body ?? {});
    const l = Lookup.safeParse(f);
    if (!l.success) return html(reply, 400, renderLookup(lang, 'not_found', f.number));
    const found = await byNumber(request, l.data.number, l.data.phoneLast4);
    if (!found.ok) return html(reply, found.code === 'rate_limited' ? 429 : 404, renderLookup(lang, found.code, f.number));
    const rating = Rating.safeParse(f.rating);
    const rated = rating.success ? await rate(found.caseId, rating.data) : null;
    const s = (await publicCaseStatus(deps.db, found.caseId))!;
    return html(
      reply,
      200,
      renderStatus(lang, s, { kind: 'lookup', number: l.data.number, phoneLast4: l.data.phoneLast4 }, rated === 'ok'),
    );
  });
  app.get('/s/:token', async (request, reply) => {
    const lang = langOf(request);
    const p = TokenParam.safeParse(request.params);
    const found = p.success ? await byToken(request, p.data.token) : ({ ok: false, code: 'not_found' } as const);
    if (!found.ok) return html(reply, found.code === 'rate_limited' ? 429 : 404, renderLookup(lang, found.code));
    const s = (await publicCaseStatus(deps.db, found.caseId))!;
    return html(reply, 200, renderStatus(lang, s, { kind: 'token', token: p.data!.token }, false));
  });
  app.post('/s/:token', async (request, reply) => {
    const lang = langOf(request);
    const p = TokenParam.safeParse(request.params);
    const found = p.success ? await byToken(request, p.data.token) : ({ ok: false, code: 'not_found' } as const);
    if (!found.ok) return html(reply, found.code === 'rate_limited' ? 429 : 404, renderLookup(lang, found.code));
    const rating = Rating.safeParse(Form.parse(request.body ?? {}).rating);
    const rated = rating.success ? await rate(found.caseId, rating.data) : null;
    const s = (await publicCaseStatus(deps.db, found.caseId))!;
    return html(reply, 200, renderStatus(lang, s, { kind: 'token', token: p.data!.token }, rated === 'ok'));
  });
}
