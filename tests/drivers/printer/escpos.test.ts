import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { EscPos, qrRows } from '../../../drivers/printer/escpos.ts';
import { encodeReceipt } from '../../../drivers/printer/receipt.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay).indexOf(Buffer.from(needle));
}

describe('ESC/POS builder', () => {
  it('encodes the basic commands as documented byte vectors', () => {
    const b = new EscPos().init().align('center').bold(true).size(2, 2).line('A').size(1, 1).feed(3).cut().encode();
    expect(hex(b)).toBe(['1b40', '1c26', '1b6101', '1b4501', '1d2111', '41', '0a', '1d2100', '1b6403', '1d564203'].join(''));
  });

  it('writes Chinese in GB18030', () => {
    const b = new EscPos().text('说吧 No.7').encode();
    expect(hex(b)).toBe('cbb5b0c9204e6f2e37');
    expect(iconv.decode(Buffer.from(b), 'gb18030')).toBe('说吧 No.7');
    // A character outside GBK takes the 4-byte GB18030 form rather than a '?'.
    expect(new EscPos().text('𠀀').encode().length).toBe(4);
  });

  it('turns control characters in data into spaces so they cannot act as commands', () => {
    expect(hex(new EscPos().text('a\x1bb\x1dc').encode())).toBe('612062206' + '3');
  });

  it('packs a raster image row by row, MSB first, padded to whole bytes', () => {
    const rows = [
      [true, false, false, false, false, false, false, false, true],
      [false, true, false, false, false, false, false, false, false],
    ];
    expect(hex(new EscPos().raster(rows).encode())).toBe('1d7630000200020080804000');
  });

  it('draws a QR code with a quiet zone and the three finder patterns', () => {
    const rows = qrRows('SB-20261125-0007', 2);
    const modules = rows.length / 2 - 8;
    expect([21, 25]).toContain(modules);
    expect(rows[0]!.some(Boolean)).toBe(false); // quiet zone
    const m = (r: number, c: number) => rows[(r + 4) * 2]![(c + 4) * 2];
    // Each finder: dark outer ring, light ring inside it, dark 3×3 centre.
    for (const [r, c] of [
      [0, 0],
      [0, modules - 7],
      [modules - 7, 0],
    ] as const) {
      expect([m(r, c), m(r + 1, c + 1), m(r + 3, c + 3), m(r + 6, c + 6)]).toEqual([true, false, true, true]);
    }
  });
});

describe('receipt', () => {
  const data = {
    caseNumber: 'SB-20261125-0007',
    time: '2026-11-25 10:32',
    lang: 'zh' as const,
    counts: { video: 1, audio: 0, photo: 3 },
    qrText: 'SB-20261125-0007',
    nextSteps: '工作人员会在7个工作日内联系您',
  };

  it('holds the case number large, the contents, next steps, a QR image and a cut', () => {
    const b = encodeReceipt(data);
    const text = iconv.decode(Buffer.from(b), 'gb18030');
    expect(text).toContain('SB-20261125-0007');
    expect(text).toContain('1段录像，3张照片');
    expect(text).toContain('工作人员会在7个工作日内联系您');
    const big = indexOf(b, Uint8Array.from([0x1d, 0x21, 0x11]));
    expect(big).toBeGreaterThan(0);
    expect(indexOf(b, iconv.encode('SB-20261125-0007', 'gb18030'))).toBeGreaterThan(big);
    expect(indexOf(b, Uint8Array.from([0x1d, 0x76, 0x30, 0x00]))).toBeGreaterThan(0);
    expect(hex(b.slice(-4))).toBe('1d564203');
  });

  it('prints the resident number triple size in its two groups, with the case number small beneath', () => {
    const b = encodeReceipt({ ...data, residentNumber: '10000372', qrText: 'https://shuoba.example.cn/s/' + 'A'.repeat(32) });
    const triple = indexOf(b, Uint8Array.from([0x1d, 0x21, 0x22]));
    expect(triple).toBeGreaterThan(0);
    expect(indexOf(b, iconv.encode('1000 0372', 'gb18030'))).toBeGreaterThan(triple);
    expect(iconv.decode(Buffer.from(b), 'gb18030')).toContain('工单号: SB-20261125-0007');
    const at = Buffer.from(b).indexOf(Buffer.from([0x1d, 0x76, 0x30, 0x00]));
    expect((b[at + 4]! + 256 * b[at + 5]!) * 8).toBeLessThanOrEqual(384); // a status URL's QR still fits 58 mm
  });

  it('fits the QR code on 58 mm paper (384 dots)', () => {
    const b = Buffer.from(encodeReceipt(data));
    const at = b.indexOf(Buffer.from([0x1d, 0x76, 0x30, 0x00]));
    const bytesPerRow = b[at + 4]! + 256 * b[at + 5]!;
    expect(bytesPerRow * 8).toBeLessThanOrEqual(384);
  });

  it('prints English when the resident used English', () => {
    const text = iconv.decode(Buffer.from(encodeReceipt({ ...data, lang: 'en', nextSteps: 'Staff will contact you.' })), 'gb18030');
    // The 8-digit resident number is the resident's number, not the case number (printed beneath as "Case").
    expect(text).toContain('Your number');
    expect(text).not.toContain('Your case number');
    expect(text).toContain('1 video(s), 3 photo(s)');
  });
});
