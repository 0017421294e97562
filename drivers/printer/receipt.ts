// The printed receipt: what a resident keeps. Pure: data in, ESC/POS bytes out.
// It carries no personal data (no name, no phone): only the resident number (large, in two groups
// of four digits) and the case number, time, what was sent, a QR code of the status page (or of the
// case number while the booth does not know the intake's public address) and what happens next.
import { groupResidentNumber } from '../../lib/vocab.ts';
import { EscPos } from './escpos.ts';

export interface ReceiptData {
  caseNumber: string;
  /** The short number the resident keeps (8 digits); null/absent: the case number is the big one. */
  residentNumber?: string | null;
  /** Local time as the booth shows it, already formatted (e.g. 2026-11-25 10:32). */
  time: string;
  lang: 'zh' | 'en';
  counts: { video: number; audio: number; photo: number };
  /** Text encoded in the QR code (the status page's URL, or the case number). */
  qrText: string;
  /** e.g. "工作人员会在7个工作日内联系您". */
  nextSteps: string;
  boothName?: string;
  /** Dots per line: 384 for 58 mm paper, 576 for 80 mm. */
  widthDots?: number;
}

const WORDS = {
  zh: {
    title: '说吧 · 居民反映回执',
    number: '您的编号',
    caseNo: '工单号',
    time: '时间',
    sent: '内容',
    video: '段录像',
    audio: '段录音',
    photo: '张照片',
    keep: '请保存好本回执',
  },
  en: {
    title: 'Say-it booth receipt',
    number: 'Your number',
    caseNo: 'Case',
    time: 'Time',
    sent: 'Sent',
    video: 'video(s)',
    audio: 'audio recording(s)',
    photo: 'photo(s)',
    keep: 'Please keep this receipt',
  },
} as const;

export function encodeReceipt(r: ReceiptData): Uint8Array {
  const w = WORDS[r.lang];
  const widthDots = r.widthDots ?? 384;
  const ruler = '-'.repeat(widthDots >= 576 ? 48 : 32);
  const sent = (['video', 'audio', 'photo'] as const)
    .filter((k) => r.counts[k] > 0)
    .map((k) => (r.lang === 'zh' ? `${r.counts[k]}${w[k]}` : `${r.counts[k]} ${w[k]}`))
    .join(r.lang === 'zh' ? '，' : ', ');
  // The QR must fit the paper: modules × scale ≤ width. 58 mm paper takes scale 5 up to version 3.
  const scale = widthDots >= 576 ? 8 : 5;
  const p = new EscPos().init().align('center').bold(true).line(w.title).bold(false);
  if (r.boothName) p.line(r.boothName);
  p.line(ruler).line(w.number);
  // Triple size: 9 characters of 12 dots × 3 = 324 dots, inside 58 mm paper's 384.
  if (r.residentNumber)
    p.size(3, 3).bold(true).line(groupResidentNumber(r.residentNumber)).size(1, 1).bold(false).line(`${w.caseNo}: ${r.caseNumber}`);
  else p.size(2, 2).bold(true).line(r.caseNumber).size(1, 1).bold(false);
  p.line(ruler);
  p.align('left').line(`${w.time}: ${r.time}`);
  if (sent) p.line(`${w.sent}: ${sent}`);
  p.align('center').qr(r.qrText, scale).line().line(r.nextSteps).line(w.keep).feed(4).cut();
  return p.encode();
}
