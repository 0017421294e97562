// The receipt's words and numbers as the booth composes them (main/receipt/text.ts), before the
// printer driver turns them into bytes. Pure.
import { describe, expect, it } from 'vitest';
import { nextSteps, receiptTime, residentReceipt, testReceipt } from '../../../main/receipt/text.ts';

const base = {
  caseNumber: 'SB-FT01-000123',
  residentNumber: '12345678',
  savedAt: '2026-11-25T02:32:10.000Z',
  kinds: ['photo', 'video', 'photo', 'audio'] as const,
  language: 'zh-CN' as const,
  statusUrl: 'https://intake.example/s/abc',
  callbackDays: 7,
  receiptText: '',
  timeZone: 'Asia/Shanghai',
  boothCode: 'FT01',
  widthDots: 384,
};

describe('receipt text', () => {
  it('says what happens next in the resident language, with the back office line below', () => {
    expect(nextSteps('zh-CN', 7, '')).toBe('工作人员会在7个工作日内处理并联系您');
    expect(nextSteps('en', 5, '  ')).toBe('Staff will act within 5 working days');
    expect(nextSteps('zh-CN', 3, ' 咨询电话 12345 ')).toBe('工作人员会在3个工作日内处理并联系您\n咨询电话 12345');
  });

  it('shows the time in the booth time zone', () => {
    expect(receiptTime(Date.parse('2026-11-25T02:32:10Z'), 'Asia/Shanghai')).toBe('2026-11-25 10:32');
    expect(receiptTime(Date.parse('2026-11-25T23:05:00Z'), 'Asia/Shanghai')).toBe('2026-11-26 07:05');
  });

  it('counts what was sent and carries the status page in the QR code', () => {
    const r = residentReceipt(base);
    expect(r).toMatchObject({
      caseNumber: 'SB-FT01-000123',
      residentNumber: '12345678',
      time: '2026-11-25 10:32',
      lang: 'zh',
      counts: { video: 1, audio: 1, photo: 2 },
      qrText: 'https://intake.example/s/abc',
      boothName: 'FT01',
      widthDots: 384,
    });
  });

  it('falls back to the case number in the QR code while the status page address is unknown; English receipt in English', () => {
    const r = residentReceipt({ ...base, statusUrl: null, language: 'en', kinds: [] });
    expect(r.qrText).toBe('SB-FT01-000123');
    expect(r.lang).toBe('en');
    expect(r.counts).toEqual({ video: 0, audio: 0, photo: 0 });
    expect(r.nextSteps).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('marks the printer test as a test, never a real case number', () => {
    const t = testReceipt({ nowMs: Date.parse('2026-11-25T02:32:10Z'), timeZone: 'Asia/Shanghai', boothCode: 'FT01', widthDots: 576 });
    expect(t).toMatchObject({ caseNumber: 'TEST-0000', qrText: 'TEST', time: '2026-11-25 10:32', widthDots: 576 });
  });
});
