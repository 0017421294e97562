import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, can } from '../../../intake/staff/roles.ts';

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
