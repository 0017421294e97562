import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  issueCredential,
  MemoryCredentialStore,
  newToken,
  parseToken,
  revokeCredential,
  verifyCredential,
} from '../../intake/boothCredentials.ts';

describe('booth credentials', () => {
  it('issues a token whose secret is stored only hashed', async () => {
    const store = new MemoryCredentialStore();
    const token = await issueCredential(store, 'FT01', 1);
    const parsed = parseToken(token);
    expect(parsed?.boothId).toBe('FT01');
    const row = await store.get('FT01');
    expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(parsed!.secret);
  });

  it('verifies: ok, none, malformed, unknown, wrong, revoked', async () => {
    const store = new MemoryCredentialStore();
    const token = await issueCredential(store, 'FT01', 1);
    const wrong = newToken('FT01').token;
    const unknown = newToken('FT99').token;
    expect(await verifyCredential(store, `Bearer ${token}`)).toEqual({ ok: true, boothId: 'FT01' });
    expect(await verifyCredential(store, undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await verifyCredential(store, 'Basic abc')).toEqual({ ok: false, reason: 'missing' });
    expect(await verifyCredential(store, 'Bearer nonsense')).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyCredential(store, `Bearer ${unknown}`)).toEqual({ ok: false, reason: 'unknown' });
    expect(await verifyCredential(store, `Bearer ${wrong}`)).toEqual({ ok: false, reason: 'wrong' });
    expect(await revokeCredential(store, 'FT01', 2)).toBe(true);
    expect(await revokeCredential(store, 'FT01', 3)).toBe(false);
    expect(await verifyCredential(store, `Bearer ${token}`)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('re-enrolment replaces the old credential', async () => {
    const store = new MemoryCredentialStore();
    const first = await issueCredential(store, 'FT01', 1);
    const second = await issueCredential(store, 'FT01', 2);
    expect((await verifyCredential(store, `Bearer ${first}`)).ok).toBe(false);
    expect((await verifyCredential(store, `Bearer ${second}`)).ok).toBe(true);
  });

  it('rejects booth ids that could be paths or headers', () => {
    expect(() => newToken('../etc')).toThrow();
    expect(() => newToken('ft01')).toThrow();
    expect(() => newToken('')).toThrow();
    expect(bearerToken('bearer  x.y.z ')).toBe('x.y.z');
  });
});
