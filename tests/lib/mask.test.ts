import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdentity, maskIdNumber, maskName, maskPhone } from '../../lib/mask.ts';

// The one masking rule (lib/mask.ts). Made-up identities; the ID numbers pass the GB 11643 check digit.
describe('masking', () => {
  it.each([
    // name: the family name only, always at least one star
    ['name', maskName('王小明'), '王**'],
    ['name', maskName('张测试'), '张**'],
    ['name', maskName('李'), '李*'],
    ['name', maskName(' 欧阳娜娜 '), '欧***'],
    ['name', maskName(''), ''],
    // ID number: first 3, last 4
    ['id', maskIdNumber('110101199003077571'), '110***********7571'],
    ['id', maskIdNumber('110106199003071235'), '110***********1235'],
    ['id', maskIdNumber(' 11010519491231002X '), '110***********002X'],
    ['id', maskIdNumber('ZZZ110085022001'), 'ZZZ********2001'],
    ['id', maskIdNumber('1234567'), '*******'],
    ['id', maskIdNumber(''), ''],
    // phone
    ['phone', maskPhone('13812345678'), '138****5678'],
    ['phone', maskPhone('138 1234 5678'), '138****5678'],
    ['phone', maskPhone('12345'), '*****'],
    // address
    ['address', maskAddress('北京市丰台区某某村8号楼3单元'), '北京市丰台区****'],
    ['address', maskAddress('某村'), '某****'],
  ])('%s: %s', (_kind, got, want) => expect(got).toBe(want));

  it('never shows a masked value as the whole value', () => {
    for (const v of ['李', '王芳', '1234567', '110101199003077571']) {
      expect(maskName(v)).not.toBe(v);
      expect(maskIdNumber(v)).not.toBe(v);
    }
  });

  it('masks each field of a staff identity view and leaves absent ones absent', () => {
    expect(maskIdentity({ name: '王小明', idNumber: '110101199003077571', phone: '13812345678' })).toEqual({
      name: '王**',
      idNumber: '110***********7571',
      phone: '138****5678',
    });
    expect(maskIdentity({})).toEqual({});
  });
});
