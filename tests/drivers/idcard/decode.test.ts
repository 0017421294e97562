import { describe, expect, it } from 'vitest';
import type { IdCard } from '../../../drivers/idcard/card.ts';
import { checkCharacter, isValidIdNumber, withCheckCharacter } from '../../../drivers/idcard/checkDigit.ts';
import { genderFromCode, nationFromCode, NATIONS } from '../../../drivers/idcard/codes.ts';
import { decodeAppendedAddress, decodeTextBlock, parseCardDate, parseValidTo, splitReadData } from '../../../drivers/idcard/decode.ts';
import { encodeAppendedAddress, encodeReadData, encodeTextBlock } from '../../../drivers/idcard/encode.ts';
import { ALL_STATUS_CODES, describeStatus, isSamFault } from '../../../drivers/idcard/status.ts';
import { CARD_FIXTURES, fakeWlt, findFixture } from '../../../drivers/idcard/simulator/cards.ts';

const utf16 = (s: string) => Buffer.from(s, 'utf16le');

/** A text block written field by field straight from the layout table (not through encode.ts). */
function residentBlock(
  fields: Partial<Record<'name' | 'gender' | 'nation' | 'birth' | 'address' | 'id' | 'authority' | 'from' | 'to' | 'flag', string>>,
): Uint8Array {
  const b = Buffer.alloc(256);
  for (let i = 0; i < 256; i += 2) b[i] = 0x20;
  const put = (off: number, s: string | undefined) => s !== undefined && utf16(s).copy(b, off);
  put(0, fields.name);
  put(30, fields.gender);
  put(32, fields.nation);
  put(36, fields.birth);
  put(52, fields.address);
  put(122, fields.id);
  put(158, fields.authority);
  put(188, fields.from);
  put(204, fields.to);
  put(248, fields.flag);
  return new Uint8Array(b);
}

describe('check digit (ISO 7064 MOD 11-2)', () => {
  it.each([
    ['360426199101010071', true],
    ['34052419800101001X', true],
    ['340524198001010013', false],
    ['931586198001010028', true],
    ['110106199003071235', true],
    ['11010619900307123', false],
    ['1101061990030712x5', false],
  ])('%s → %s', (id, valid) => expect(isValidIdNumber(id)).toBe(valid));

  it('computes the check character, X included', () => {
    expect(checkCharacter('34052419800101001')).toBe('X');
    expect(withCheckCharacter('36042619910101007')).toBe('360426199101010071');
    expect(checkCharacter('123')).toBeNull();
  });
});

describe('code tables', () => {
  it('maps gender codes and never turns an unknown code into female', () => {
    expect(['1', '2', '0', '9', '3', 'x', ''].map(genderFromCode)).toEqual([
      'male',
      'female',
      'unknown',
      'unstated',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });
  it('maps all 58 nation codes, 46 spelled 德昂, unknown → null', () => {
    expect(NATIONS.size).toBe(58);
    expect(nationFromCode('01')).toBe('汉');
    expect(nationFromCode('46')).toBe('德昂');
    expect(nationFromCode('97')).toBe('其他');
    expect(nationFromCode('98')).toBe('外国血统中国籍人士');
    expect(nationFromCode('57')).toBeNull();
  });
});

describe('SW3 status table', () => {
  it.each(ALL_STATUS_CODES.map((c) => [c]))('0x%s is described', (code) => {
    const s = describeStatus(code);
    expect(s.kind).not.toBe('unknown');
    expect(s.zh.length).toBeGreaterThan(1);
  });
  it('has every code of the protocol note', () => {
    expect([...ALL_STATUS_CODES].sort((a, b) => a - b)).toEqual([
      0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x37, 0x3f, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81, 0x90, 0x91, 0x9f,
    ]);
  });
  it('names the important ones', () => {
    expect(describeStatus(0x90).kind).toBe('ok');
    expect(describeStatus(0x9f).kind).toBe('card-found');
    expect(describeStatus(0x80).kind).toBe('no-card');
    expect(describeStatus(0x81).kind).toBe('select-failed');
    expect(describeStatus(0x41).kind).toBe('read-failed');
    expect(isSamFault(describeStatus(0x60).kind)).toBe(true);
    expect(isSamFault(describeStatus(0x66).kind)).toBe(true);
    expect(describeStatus(0x55)).toMatchObject({ kind: 'unknown', code: 0x55 });
  });
});

describe('dates', () => {
  it('parses calendar dates and rejects impossible ones', () => {
    expect(parseCardDate('19900307')).toBe('1990-03-07');
    expect(parseCardDate('20240229')).toBe('2024-02-29');
    expect(parseCardDate('20230229')).toBeNull();
    expect(parseCardDate('1990037')).toBeNull();
  });
  it('treats 长期 as an open end', () => {
    expect(parseValidTo('长期')).toBe('long-term');
    expect(parseValidTo('20400501')).toBe('2040-05-01');
  });
});

describe('text block: the resident layout from the table', () => {
  const base = {
    name: '张测试',
    gender: '1',
    nation: '01',
    birth: '19900307',
    address: '北京市丰台区测试路1号',
    id: '110106199003071235',
    authority: '北京市公安局丰台分局',
    from: '20200501',
    to: '20400501',
  };
  it('decodes every field', () => {
    const r = decodeTextBlock(residentBlock(base));
    expect(r).toEqual({
      ok: true,
      value: {
        cardType: 'resident',
        name: '张测试',
        gender: 'male',
        nation: '汉',
        birthDate: '1990-03-07',
        address: '北京市丰台区测试路1号',
        idNumber: '110106199003071235',
        authority: '北京市公安局丰台分局',
        validFrom: '2020-05-01',
        validTo: '2040-05-01',
      },
    });
  });
  it('reads a NUL type flag as a resident card too', () => {
    const b = residentBlock(base);
    b[248] = 0;
    expect(decodeTextBlock(b)).toMatchObject({ ok: true, value: { cardType: 'resident' } });
  });
  it('long-term validity', () => {
    expect(decodeTextBlock(residentBlock({ ...base, to: '长期' }))).toMatchObject({ ok: true, value: { validTo: 'long-term' } });
  });
  it('unknown gender code stays unknown', () => {
    expect(decodeTextBlock(residentBlock({ ...base, gender: '0' }))).toMatchObject({ ok: true, value: { gender: 'unknown' } });
  });
  it('a failing check digit is a read error, never a card', () => {
    expect(decodeTextBlock(residentBlock({ ...base, id: '110106199003071236' }))).toMatchObject({
      ok: false,
      error: { code: 'check-digit' },
    });
  });
  it('an unknown card-type flag is an error', () => {
    expect(decodeTextBlock(residentBlock({ ...base, flag: 'Q' }))).toMatchObject({ ok: false, error: { code: 'unknown-card-type' } });
  });
  it('a broken date is an error', () => {
    expect(decodeTextBlock(residentBlock({ ...base, birth: '19901332' }))).toMatchObject({ ok: false, error: { code: 'bad-date' } });
  });
  it('error messages carry no personal data', () => {
    const r = decodeTextBlock(residentBlock({ ...base, id: '110106199003071236' }));
    expect(JSON.stringify(r)).not.toContain('110106');
  });
});

describe('text block: all four layouts', () => {
  it('J card from the layout table', () => {
    const b = residentBlock({
      name: '陈演示',
      gender: '1',
      birth: '19880612',
      address: '北京市丰台区演示街道9号',
      id: '810000198806120026',
      authority: '北京市公安局丰台分局',
      from: '20210315',
      to: '20260315',
      flag: 'J',
    });
    utf16('H00000001').copy(b, 220);
    utf16('01').copy(b, 238);
    expect(decodeTextBlock(b)).toMatchObject({
      ok: true,
      value: { cardType: 'hk-mo-tw', nation: null, passNumber: 'H00000001', issueCount: 1, idNumber: '810000198806120026' },
    });
  });

  it('I card from the layout table', () => {
    const b = Buffer.from(residentBlock({ from: '20190701', to: '20290701', flag: 'I' }));
    utf16('SAMPLE, TESTER').copy(b, 0);
    utf16('2').copy(b, 120);
    utf16('ZZZ110085022001').copy(b, 122);
    utf16('ZZZ').copy(b, 152);
    utf16('测试').copy(b, 158);
    utf16('19850220').copy(b, 220);
    utf16('01').copy(b, 236);
    utf16('1100').copy(b, 240);
    expect(decodeTextBlock(new Uint8Array(b))).toEqual({
      ok: true,
      value: {
        cardType: 'foreign-2017',
        name: '测试',
        gender: 'female',
        nation: null,
        birthDate: '1985-02-20',
        address: null,
        idNumber: 'ZZZ110085022001',
        authority: '1100',
        validFrom: '2019-07-01',
        validTo: '2029-07-01',
        englishName: 'SAMPLE, TESTER',
        nationality: 'ZZZ',
        cardVersion: '01',
      },
    });
  });

  it('Y card from the layout table: English name continues across the two fields', () => {
    const name = 'EXAMPLE-PERSON, A LONG GIVEN NAME FOR TESTING';
    const b = Buffer.from(
      residentBlock({
        name: '样本',
        gender: '9',
        birth: '19850220',
        id: '931156198502200030',
        from: '20240110',
        to: '20340110',
        flag: 'Y',
      }),
    );
    utf16('00').copy(b, 32);
    utf16(name.slice(0, 35)).copy(b, 52);
    utf16(name.slice(35)).copy(b, 220);
    utf16('ZZZ').copy(b, 242);
    // Overwrite the resident-style nation/address/authority slots that Y reuses or reserves.
    expect(decodeTextBlock(new Uint8Array(b))).toMatchObject({
      ok: true,
      value: {
        cardType: 'foreign-2023',
        englishName: name,
        nationality: 'ZZZ',
        renewalCount: 0,
        gender: 'unstated',
        address: null,
        authority: null,
      },
    });
  });

  it.each(CARD_FIXTURES.filter((f) => !f.text).map((f) => [f.id, f.card] as const))(
    '%s round-trips through encode',
    (_id, card: IdCard) => {
      expect(decodeTextBlock(encodeTextBlock(card))).toEqual({ ok: true, value: card });
    },
  );

  it('the bad-check-digit fixture does not decode', () => {
    expect(decodeTextBlock(findFixture('bad-check-digit')!.text!)).toMatchObject({ ok: false, error: { code: 'check-digit' } });
  });
});

describe('read payload split', () => {
  it('splits by the length words', () => {
    const text = encodeTextBlock(CARD_FIXTURES[0]!.card);
    const r = splitReadData(encodeReadData(text, fakeWlt()));
    expect(r.ok && r.value.text).toEqual(text);
    expect(r.ok && r.value.photo.bytes.length).toBe(1024);
    expect(r.ok && r.value.fingerprint).toBeNull();
  });
  it('handles the fingerprint variant (6-byte header)', () => {
    const data = new Uint8Array(6 + 256 + 1024 + 1024);
    data.set([1, 0, 4, 0, 4, 0]);
    const r = splitReadData(data, true);
    expect(r.ok && r.value.fingerprint?.length).toBe(1024);
  });
  it('rejects lengths that do not fit', () => {
    expect(splitReadData(Uint8Array.of(1, 0, 4, 0, 1, 2, 3))).toMatchObject({ ok: false, error: { code: 'bad-layout' } });
    expect(splitReadData(Uint8Array.of(0, 2, 0, 0, 1, 2))).toMatchObject({ ok: false });
  });
  it('decodes the appended address', () => {
    expect(decodeAppendedAddress(encodeAppendedAddress('北京市丰台区示例村新址5号楼'))).toBe('北京市丰台区示例村新址5号楼');
    expect(decodeAppendedAddress(new Uint8Array(3))).toBeNull();
  });
});
