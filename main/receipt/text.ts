// What the booth puts on a receipt besides the fixed words of the printer driver
// (drivers/printer/receipt.ts): the time as the booth shows it, what happens next in the resident's
// language (zh-CN first, English second) and the service screen's test receipt. Pure.
import type { Language } from '../../contract/kiosk.ts';
import type { ReceiptData } from '../../drivers/printer/receipt.ts';
import type { CaptureKind } from '../../lib/vocab.ts';

/** Local time in the booth's time zone, e.g. 2026-11-25 10:32. */
export function receiptTime(atMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(atMs);
}

/** What happens next, in the resident's language, then the back office's own line if it set one. */
export function nextSteps(language: Language, callbackDays: number, receiptText: string): string {
  const extra = receiptText.trim();
  const line =
    language === 'zh-CN' ? `工作人员会在${callbackDays}个工作日内处理并联系您` : `Staff will act within ${callbackDays} working days`;
  return line + (extra ? `\n${extra}` : '');
}

export interface ResidentReceipt {
  caseNumber: string;
  residentNumber: string | null;
  savedAt: string;
  kinds: readonly CaptureKind[];
  language: Language;
  /** The status page's address, or null while the booth does not know the intake's public address. */
  statusUrl: string | null;
  callbackDays: number;
  receiptText: string;
  timeZone: string;
  boothCode: string;
  widthDots: number;
}

/** The resident's receipt: the numbers, what was sent, the QR of the status page (else of the case number). */
export function residentReceipt(r: ResidentReceipt): ReceiptData {
  const counts = { video: 0, audio: 0, photo: 0 };
  for (const kind of r.kinds) counts[kind] += 1;
  return {
    caseNumber: r.caseNumber,
    residentNumber: r.residentNumber,
    time: receiptTime(Date.parse(r.savedAt), r.timeZone),
    lang: r.language === 'zh-CN' ? 'zh' : 'en',
    counts,
    qrText: r.statusUrl ?? r.caseNumber,
    nextSteps: nextSteps(r.language, r.callbackDays, r.receiptText),
    boothName: r.boothCode,
    widthDots: r.widthDots,
  };
}

/** The service screen's printer test: marked as a test, never a real case number. */
export function testReceipt(t: { nowMs: number; timeZone: string; boothCode: string; widthDots: number }): ReceiptData {
  return {
    caseNumber: 'TEST-0000',
    time: receiptTime(t.nowMs, t.timeZone),
    lang: 'zh',
    counts: { video: 0, audio: 0, photo: 0 },
    qrText: 'TEST',
    nextSteps: '打印测试 / printer test',
    boothName: t.boothCode,
    widthDots: t.widthDots,
  };
}
