// Booth credentials: issued at enrolment (issue 8 calls `issueCredential`), checked on every booth
// request, revocable. A credential is a bearer token `sb1.<boothId>.<secret>` where the secret is
// 32 random bytes (base64url). Only sha256(secret) is stored: the secret has 256 bits of entropy,
// so a slow password hash (argon2) would add cost per request without adding safety; a stolen
// database still does not yield a usable token. Comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'sb1';
// The booth code (lib/vocab.ts BOOTH_CODE) is the booth's identity.
const BOOTH_ID = /^[A-Z0-9]{2,8}$/;

export interface CredentialRow {
  boothId: string;
  /** hex sha256 of the secret */
  secretHash: string;
  createdAt: number;
  revokedAt: number | null;
}

/** Where credentials live. The intake's Kysely store implements it; tests may use the in-memory one. */
export interface CredentialStore {
  get(boothId: string): Promise<CredentialRow | undefined>;
  /** Inserts or replaces the booth's credential (re-enrolment replaces the old one). */
  put(row: CredentialRow): Promise<void>;
  revoke(boothId: string, at: number): Promise<boolean>;
}

export function isValidBoothId(boothId: string): boolean {
  return BOOTH_ID.test(boothId);
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface ParsedToken {
  boothId: string;
  secret: string;
}

export function parseToken(token: string): ParsedToken | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return null;
  const [, boothId, secret] = parts as [string, string, string];
  if (!isValidBoothId(boothId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  return { boothId, secret };
}

/** `Authorization: Bearer <token>` → token, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export function newToken(boothId: string, random: (n: number) => Buffer = randomBytes): { token: string; secret: string } {
  if (!isValidBoothId(boothId)) throw new Error('booth code must be 2–8 of [A-Z0-9]');
  const secret = random(32).toString('base64url');
  return { token: `${TOKEN_PREFIX}.${boothId}.${secret}`, secret };
}

/** Creates (or replaces) a booth's credential and returns the token, shown once to the technician. */
export async function issueCredential(store: CredentialStore, boothId: string, now: number): Promise<string> {
  const { token, secret } = newToken(boothId);
  await store.put({ boothId, secretHash: hashSecret(secret), createdAt: now, revokedAt: null });
  return token;
}

export type VerifyResult = { ok: true; boothId: string } | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'wrong' | 'revoked' };

export async function verifyCredential(store: CredentialStore, authorization: string | undefined): Promise<VerifyResult> {
  const token = bearerToken(authorization);
  if (token === null) return { ok: false, reason: 'missing' };
  const parsed = parseToken(token);
  if (parsed === null) return { ok: false, reason: 'malformed' };
  const row = await store.get(parsed.boothId);
  if (!row) return { ok: false, reason: 'unknown' };
  const given = Buffer.from(hashSecret(parsed.secret), 'hex');
  const stored = Buffer.from(row.secretHash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return { ok: false, reason: 'wrong' };
  if (row.revokedAt !== null) return { ok: false, reason: 'revoked' };
  return { ok: true, boothId: parsed.boothId };
}

export async function revokeCredential(store: CredentialStore, boothId: string, now: number): Promise<boolean> {
  return store.revoke(boothId, now);
}

export class MemoryCredentialStore implements CredentialStore {
  private readonly rows = new Map<string, CredentialRow>();
  async get(boothId: string) {
    return this.rows.get(boothId);
  }
  async put(row: CredentialRow) {
    this.rows.set(row.boothId, { ...row });
  }
  async revoke(boothId: string, at: number) {
    const row = this.rows.get(boothId);
    if (!row || row.revokedAt !== null) return false;
    row.revokedAt = at;
    return true;
  }
}
