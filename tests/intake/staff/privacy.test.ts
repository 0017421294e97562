import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../../../intake/staff/mask.ts';
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
