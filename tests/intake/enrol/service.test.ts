import { describe, expect, it } from 'vitest';
import { EnrolmentService, MemoryEnrolmentStore, type CredentialPort } from '../../../intake/enrol/service.ts';
import { CODE_VALIDITY_MS, formatCode } from '../../../intake/enrol/code.ts';

const T0 = Date.UTC(2026, 10, 25, 4);
function svc() {
  const issued: string[] = [];
  const revoked: string[] = [];
  const creds: CredentialPort = {
    issue: async (id) => (issued.push(id), `sb1.${id}.${'x'.repeat(43)}`),
    revoke: async (id) => void revoked.push(id),
  };
  return { s: new EnrolmentService(new MemoryEnrolmentStore(), creds), issued, revoked };
}

describe('enrolment service', () => {
  it('adds a booth, redeems its code once, refuses the second use', async () => {
    const { s, issued } = svc();
    const added = await s.addBooth({ code: 'FT01', village: '东村', location: '村委会门口' }, T0);
    if (!added.ok) throw new Error('add failed');
    expect(added.booth.boothId).toBe('FT01');
    expect(added.expiresAt).toBe(T0 + CODE_VALIDITY_MS);
    const r = await s.redeem(formatCode(added.enrolmentCode).toLowerCase(), T0 + 60_000);
    expect(r).toMatchObject({ ok: true, booth: { boothId: 'FT01', enrolledAt: T0 + 60_000 } });
    expect(issued).toEqual(['FT01']);
    expect(await s.redeem(added.enrolmentCode, T0 + 120_000)).toEqual({ ok: false, reason: 'used' });
  });

  it('refuses an expired code and a code of a revoked booth', async () => {
    const { s } = svc();
    const a = await s.addBooth({ code: 'FT02', village: 'v', location: 'l' }, T0);
    if (!a.ok) throw new Error();
    expect(await s.redeem(a.enrolmentCode, T0 + CODE_VALIDITY_MS)).toEqual({ ok: false, reason: 'expired' });
    const b = await s.addBooth({ code: 'FT03', village: 'v', location: 'l' }, T0);
    if (!b.ok) throw new Error();
    await s.revoke('FT03', T0 + 1);
    expect(await s.redeem(b.enrolmentCode, T0 + 2)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('a new code withdraws the old one; an enrolled booth cannot be added again until revoked', async () => {
    const { s, revoked } = svc();
    const a = await s.addBooth({ code: 'FT04', village: 'v', location: 'l' }, T0);
    const b = await s.addBooth({ code: 'FT04', village: 'v', location: 'l2' }, T0 + 5);
    if (!a.ok || !b.ok) throw new Error();
    expect(await s.redeem(a.enrolmentCode, T0 + 10)).toEqual({ ok: false, reason: 'revoked' });
    expect((await s.redeem(b.enrolmentCode, T0 + 10)).ok).toBe(true);
    expect(await s.addBooth({ code: 'FT04', village: 'v', location: 'l' }, T0 + 20)).toEqual({ ok: false, reason: 'exists' });
    await s.revoke('FT04', T0 + 30);
    expect(revoked).toEqual(['FT04']);
    expect((await s.addBooth({ code: 'FT04', village: 'v', location: 'l' }, T0 + 40)).ok).toBe(true);
  });

  it('refuses bad booth codes and garbage enrolment codes', async () => {
    const { s } = svc();
    expect(await s.addBooth({ code: '../x', village: 'v', location: 'l' }, T0)).toEqual({ ok: false, reason: 'bad-code' });
    expect(await s.redeem('nope', T0)).toEqual({ ok: false, reason: 'unknown' });
  });
});
