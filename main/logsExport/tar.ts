// A minimal ustar writer for the support bundle (regular files only, names < 100 bytes):
// enough for `tar -xzf`, and no dependency for 40 lines of format.
import { gzipSync } from 'node:zlib';

function header(name: string, size: number, mtimeSec: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const put = (text: string, offset: number, len: number) => h.write(text, offset, len, 'utf8');
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  if (Buffer.byteLength(name) >= 100) throw new Error(`tar: name too long: ${name}`);
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtimeSec, 12), 136, 12);
  put('        ', 148, 8); // checksum field counts as spaces while summing
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

export function tarGz(files: { name: string; content: Buffer | string }[], mtimeMs: number): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const body = Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, 'utf8');
    parts.push(header(f.name, body.length, Math.floor(mtimeMs / 1000)), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
