import { describe, expect, it } from 'vitest';
import { redact, scrubText } from '../../lib/redact.ts';

describe('redaction', () => {
  it.each([
    ['身份证 11010519491231002X 已读', '身份证 [id] 已读'],
    ['call 13812345678 back', 'call [phone] back'],
    ['landline 010-62345678', 'landline [phone]'],
    ['case FT01-20261123-0007 saved', 'case FT01-20261123-0007 saved'],
    ['sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  ])('%s', (input, output) => expect(scrubText(input)).toBe(output));

  it('replaces personal fields at any depth and scrubs strings', () => {
    const out = redact({ name: '张三', card: { idNumber: '11010519491231002X', address: '北京' }, note: 'tel 13812345678', list: [{ phone: '1' }] });
    expect(out).toEqual({ name: '[redacted]', card: { idNumber: '[redacted]', address: '[redacted]' }, note: 'tel [phone]', list: [{ phone: '[redacted]' }] });
  });

  it('survives cycles and errors', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(redact(a)).toEqual({ self: '[cycle]' });
    expect(redact(new Error('id 11010519491231002X'))).toEqual({ name: 'Error', message: 'id [id]' });
  });
});
