// Repeats both ways (issue 15 item 5): a case's original, its repeats and "反映 N 次", likely
// repeats for the clerk (same category and place, or the same callback phone by keyed hash, within
// the recurring-problem window recurDays of each other), and linking in one click.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { likelyRepeats } from '../../casework/repeats.ts';
import { SealedContact } from '../../../contract/identity.ts';
import { phoneHash, phoneHashKey } from '../../../lib/phoneHash.ts';
import { unsealJson } from '../../../lib/sealed.ts';
import {
  fillPhoneHashes,
  linkRepeat,
  linkedGroup,
  originalOf,
  phoneHashOf,
  repeatPool,
  repeatsOf,
  unlinkRepeat,
} from '../../store/repeats.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { can } from '../roles.ts';
import { readSettings } from '../settings.ts';
import { caseOrThrow } from '../cases.ts';

const DAY = 86_400_000;
const SUGGESTIONS = 10;

export function registerRepeatRoutes(app: FastifyInstance, sc: StaffContext, contactKey: Buffer): void {
  const { db, now } = sc;
  const hashKey = phoneHashKey(contactKey);
  const hashOf = (sealed: string) => {
    const c = SealedContact.safeParse(unsealJson<unknown>(Buffer.from(sealed, 'base64'), contactKey));
    return c.success ? phoneHash(c.data.phone, hashKey) : null;
  };

  staffRoute(app, sc, { route: staffApi.repeats.get, access: 'case:read' }, async ({ params, user }) => {
    const row = await caseOrThrow(db, params.id);
    const original = await originalOf(db, row.id);
    const repeats = original ? [] : await repeatsOf(db, row.id);
    let suggestions: ReturnType<typeof likelyRepeats> = [];
    // Suggestions are for those who link (they hint that two cases share a phone).
    if (can(user.role, 'case:assign')) {
      const days = (await readSettings(db)).recurDays;
      const t = Date.parse(row.received_at);
      const from = new Date(t - days * DAY).toISOString();
      const to = new Date(t + days * DAY).toISOString();
      await fillPhoneHashes(db, from, to, hashOf);
      const pool = await repeatPool(
        db,
        { id: row.id, receivedAt: row.received_at, category: row.category },
        await phoneHashOf(db, row.id),
        from,
        to,
      );
      const linked = await linkedGroup(db, row.id);
      suggestions = likelyRepeats(
        { id: row.id, category: row.category, location: row.location },
        pool.rows.filter((r) => !linked.has(r.id)),
        pool.samePhone,
      ).slice(0, SUGGESTIONS);
    }
    return { original, repeats, timesRaised: 1 + repeats.length, suggestions };
  });

  staffRoute(app, sc, { route: staffApi.repeats.link, access: 'case:assign' }, async ({ params, body, user }) => {
    const r = await linkRepeat(db, params.id, body.otherId, user.id, now());
    if (!r.ok)
      throw new StaffError(
        r.reason === 'no_such_case' ? 'not_found' : r.reason === 'already_linked' ? 'conflict' : 'bad_request',
        r.reason,
      );
    return { originalId: r.originalId, repeatId: r.repeatId };
  });

  staffRoute(app, sc, { route: staffApi.repeats.unlink, access: 'case:assign' }, async ({ params, user }) => {
    if (!(await unlinkRepeat(db, params.id, user.id, now()))) throw new StaffError('not_found', 'not_linked');
    return { ok: true as const };
  });
}
