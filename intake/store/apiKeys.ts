// Partner API keys (issue 19): made by an admin, shown once, stored as SHA-256 only. A key is
// looked up by the hash of what the caller sent (a high-entropy secret needs no slow hash), and
// every accepted use bumps its counter and last-use time.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { API_KEY_PATTERN, type ApiKeyScope, type ApiKeyView } from '../../contract/partnerKeys.ts';
import type { ApiKeysTable } from './partnerSchema.ts';

type DB = Kysely<IntakeDatabase>;

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export interface NewKey {
  name: string;
  scopes: ApiKeyScope[];
  expiresAt: string | null;
  ratePerMinute: number;
  jurisdictionId: string | null;
  createdBy: string;
}

/** Creates a key; the returned `secret` is the only time the whole key exists outside the caller. */
export async function createApiKey(db: DB, k: NewKey, now: number): Promise<{ id: string; secret: string }> {
  const secret = `sbk_${randomBytes(24).toString('base64url')}`;
  const id = randomUUID();
  await db
    .insertInto('api_keys')
    .values({
      id,
      name: k.name,
      prefix: secret.slice(0, 10),
      secret_hash: hashKey(secret),
      scopes: JSON.stringify(k.scopes),
      jurisdiction_id: k.jurisdictionId,
      rate_per_minute: k.ratePerMinute,
      created_at: new Date(now).toISOString(),
      created_by: k.createdBy,
      expires_at: k.expiresAt,
      revoked_at: null,
      revoked_by: null,
      last_used_at: null,
      last_used_ip: null,
    })
    .execute();
  return { id, secret };
}

type KeyRow = Omit<ApiKeysTable, 'rate_per_minute' | 'use_count'> & { rate_per_minute: number; use_count: number };

export function keyState(k: Pick<KeyRow, 'revoked_at' | 'expires_at'>, now: number): ApiKeyView['state'] {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && Date.parse(k.expires_at) <= now) return 'expired';
  return 'active';
}

export function keyView(k: KeyRow, now: number): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: JSON.parse(k.scopes) as ApiKeyScope[],
    jurisdictionId: k.jurisdiction_id,
    ratePerMinute: k.rate_per_minute,
    createdAt: k.created_at,
    createdBy: k.created_by,
    expiresAt: k.expires_at,
    revokedAt: k.revoked_at,
    useCount: k.use_count,
    lastUsedAt: k.last_used_at,
    state: keyState(k, now),
  };
}

export async function listApiKeys(db: DB, now: number): Promise<ApiKeyView[]> {
  const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
  return rows.map((r) => keyView(r, now));
}

export async function apiKeyById(db: DB, id: string): Promise<KeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Revokes at once and for good; returns false when there was no such active key. */
export async function revokeApiKey(db: DB, id: string, by: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date(now).toISOString(), revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type KeyCheck = { ok: true; key: KeyRow } | { ok: false; reason: 'missing' | 'unknown' | 'revoked' | 'expired' };

/** The key a caller presented, if it is known, not revoked and not expired. */
export async function findUsableKey(db: DB, presented: string | undefined, now: number): Promise<KeyCheck> {
  if (!presented) return { ok: false, reason: 'missing' };
  if (!API_KEY_PATTERN.test(presented)) return { ok: false, reason: 'unknown' };
  const key = await db.selectFrom('api_keys').selectAll().where('secret_hash', '=', hashKey(presented)).executeTakeFirst();
  if (!key) return { ok: false, reason: 'unknown' };
  const state = keyState(key, now);
  if (state !== 'active') return { ok: false, reason: state };
  return { ok: true, key };
}

export async function recordKeyUse(db: DB, id: string, ip: string | null, now: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set((eb) => ({ use_count: eb('use_count', '+', 1), last_used_at: new Date(now).toISOString(), last_used_ip: ip }))
    .where('id', '=', id)
    .execute();
}
