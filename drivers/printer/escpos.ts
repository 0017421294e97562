// A small pure ESC/POS command builder for the 58/80 mm thermal printers common in China.
// Text is sent in GB18030 (what Chinese-firmware printers expect in their "Chinese mode", entered
// with FS &); the well-kept npm encoders (esc-pos-encoder, @point-of-sale/receipt-printer-encoder)
// only do single-byte code pages, so this builds the few commands a receipt needs and leaves the
// character encoding to iconv-lite (docs/DECISIONS.md). QR codes are printed as a raster image
// (GS v 0) made from the qrcode package's module matrix: every ESC/POS printer prints raster
// images, while the native QR command (GS ( k) is missing or different on many cheap models.
import iconv from 'iconv-lite';
import QRCode from 'qrcode';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';

export class EscPos {
  private chunks: Uint8Array[] = [];

  private push(...bytes: number[]): this {
    this.chunks.push(Uint8Array.from(bytes));
    return this;
  }

  /** ESC @ (reset) then FS & (Chinese character mode, so GB18030 double bytes print as 汉字). */
  init(): this {
    return this.push(ESC, 0x40).push(FS, 0x26);
  }

  align(a: Align): this {
    return this.push(ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2);
  }

  bold(on: boolean): this {
    return this.push(ESC, 0x45, on ? 1 : 0);
  }

  /** Character magnification 1–8 in each direction (GS !). */
  size(width: number, height: number): this {
    const w = Math.min(8, Math.max(1, Math.round(width))) - 1;
    const h = Math.min(8, Math.max(1, Math.round(height))) - 1;
    return this.push(GS, 0x21, (w << 4) | h);
  }

  text(s: string): this {
    // Control characters in data would be read as commands by the printer.
    const clean = [...s].map((c) => (c === '\n' || (c >= ' ' && c !== '\u007f') ? c : ' ')).join('');
    this.chunks.push(Uint8Array.from(iconv.encode(clean, 'gb18030')));
    return this;
  }

  line(s = ''): this {
    return this.text(s).push(LF);
  }

  feed(lines: number): this {
    return this.push(ESC, 0x64, Math.min(255, Math.max(0, lines)));
  }

  /** Feed past the cutter and cut, leaving a hinge (GS V 66 n). Printers without a cutter ignore it. */
  cut(): this {
    return this.push(GS, 0x56, 66, 3);
  }

  /** A 1-bit image, `rows[y][x]` true = black, as GS v 0 raster (width padded to whole bytes). */
  raster(rows: boolean[][]): this {
    const height = rows.length;
    const width = rows[0]?.length ?? 0;
    const bytesPerRow = Math.ceil(width / 8);
    const data = new Uint8Array(bytesPerRow * height);
    rows.forEach((row, y) =>
      row.forEach((black, x) => {
        if (black) data[y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
      }),
    );
    this.push(GS, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, height & 0xff, height >> 8);
    this.chunks.push(data);
    return this;
  }

  /** A QR code of `text`, each module `scale` dots, with the 4-module quiet zone the standard asks for. */
  qr(text: string, scale = 6): this {
    return this.raster(qrRows(text, scale));
  }

  encode(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export function qrRows(text: string, scale: number): boolean[][] {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const dots = (n + 2 * quiet) * scale;
  const rows: boolean[][] = [];
  for (let y = 0; y < dots; y++) {
    const my = Math.floor(y / scale) - quiet;
    const row: boolean[] = [];
    for (let x = 0; x < dots; x++) {
      const mx = Math.floor(x / scale) - quiet;
      row.push(my >= 0 && my < n && mx >= 0 && mx < n && qr.modules.get(my, mx) === 1);
    }
    rows.push(row);
  }
  return rows;
}
