import { describe, expect, it } from 'vitest';
import { bearerToken, issueCredential, MemoryCredentialStore, newToken, parseToken, revokeCredential, verifyCredential } from '../../intake/boothCredentials.ts';

describe('booth credentials', () => {
  it('issues a token whose secret is stored only hashed', async () => {
    const store = new MemoryCredentialStore();
    const token = await issueCredential(store, 'booth-01', 1);
    const parsed = parseToken(token);
    expect(parsed?.boothId).toBe('booth-01');
    const row = await store.get('booth-01');
    expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(parsed!.secret);
  });

  it('verifies: ok, none, malformed, unknown, wrong, revoked', async () => {
    const store = new MemoryCredentialStore();
    const token = await issueCredential(store, 'booth-01', 1);
    const wrong = newToken('booth-01').token;
    const unknown = newToken('booth-99').token;
    expect(await verifyCredential(store, `Bearer ${token}`)).toEqual({ ok: true, boothId: 'booth-01' });
    expect(await verifyCredential(store, undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await verifyCredential(store, 'Basic abc')).toEqual({ ok: false, reason: 'missing' });
    expect(await verifyCredential(store, 'Bearer nonsense')).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyCredential(store, `Bearer ${unknown}`)).toEqual({ ok: false, reason: 'unknown' });
    expect(await verifyCredential(store, `Bearer ${wrong}`)).toEqual({ ok: false, reason: 'wrong' });
    expect(await revokeCredential(store, 'booth-01', 2)).toBe(true);
    expect(await revokeCredential(store, 'booth-01', 3)).toBe(false);
    expect(await verifyCredential(store, `Bearer ${token}`)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('re-enrolment replaces the old credential', async () => {
    const store = new MemoryCredentialStore();
    const first = await issueCredential(store, 'booth-01', 1);
    const second = await issueCredential(store, 'booth-01', 2);
    expect((await verifyCredential(store, `Bearer ${first}`)).ok).toBe(false);
    expect((await verifyCredential(store, `Bearer ${second}`)).ok).toBe(true);
  });

  it('rejects booth ids that could be paths or headers', () => {
    expect(() => newToken('../etc')).toThrow();
    expect(() => newToken('Booth')).toThrow();
    expect(() => newToken('')).toThrow();
    expect(bearerToken('bearer  x.y.z ')).toBe('x.y.z');
  });
});
