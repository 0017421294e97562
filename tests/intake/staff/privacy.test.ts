import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../../../intake/staff/mask.ts';
import { Vault } from '../../../intake/staff/vault.ts';
import { PERMISSIONS, ROLES, can } from '../../../intake/staff/roles.ts';

// Made-up identity; the ID number passes the GB 11643 check digit.
const ID = '110101199003077571';

describe('masking', () => {
  it.each([
    [maskName('王小明'), '王**'],
    [maskName('李'), '李*'],
    [maskIdNumber(ID), '110***********7571'],
    [maskPhone('13812345678'), '138****5678'],
    [maskAddress('北京市丰台区某某村8号楼3单元'), '北京市丰台区****'],
  ])('%s = %s', (got, want) => expect(got).toBe(want));
});

describe('vault', () => {
  it('seals and opens, bound to the case id', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vault-'));
    const v = await Vault.fromFile(path.join(dir, 'identity.key'));
    expect(statSync(path.join(dir, 'identity.key')).mode & 0o777).toBe(0o600);
    const sealed = v.seal(ID, 'case-1');
    expect(sealed).not.toContain(ID);
    expect(v.open(sealed, 'case-1')).toBe(ID);
    expect(() => v.open(sealed, 'case-2')).toThrow();
    expect(v.seal(ID, 'case-1')).not.toBe(sealed); // fresh nonce each time
    const again = await Vault.fromFile(path.join(dir, 'identity.key'));
    expect(again.open(sealed, 'case-1')).toBe(ID);
  });
});

describe('roles', () => {
  it('are cumulative and each permission has a lowest role', () => {
    for (const [perm, lowest] of Object.entries(PERMISSIONS)) {
      for (const role of ROLES) {
        expect(can(role, perm as keyof typeof PERMISSIONS)).toBe(ROLES.indexOf(role) >= ROLES.indexOf(lowest));
      }
    }
    expect(can('viewer', 'identity:reveal')).toBe(false);
    expect(can('supervisor', 'identity:reveal')).toBe(true);
  });
});
