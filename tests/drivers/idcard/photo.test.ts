import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWltDecoder, photoOrPlaceholder, placeholderDataUrl, WLT_IMAGE } from '../../../drivers/idcard/photo.ts';
import { fakeWlt } from '../../../drivers/idcard/simulator/cards.ts';

// A stand-in for a district's licensed decoder module (the real one wraps a vendor library).
const dir = mkdtempSync(path.join(os.tmpdir(), 'wlt-'));
const good = path.join(dir, 'decoder.mjs');
writeFileSync(
  good,
  `export function createWltDecoder() {
  return { name: 'test', async decode(wlt) { return { mime: 'image/bmp', bytes: new Uint8Array([0x42, 0x4d, wlt.length & 0xff]) }; } };
}`,
);
const broken = path.join(dir, 'broken.mjs');
writeFileSync(broken, `export default () => ({ name: 'broken', async decode() { throw new Error('licence expired'); } });`);
const empty = path.join(dir, 'empty.mjs');
writeFileSync(empty, `export const x = 1;`);

describe('WLT photo plug-in point', () => {
  const photo = { format: 'wlt' as const, bytes: fakeWlt() };

  it('loads a decoder module and decodes through it', async () => {
    const d = await loadWltDecoder(good);
    expect(d.name).toBe('test');
    expect(await photoOrPlaceholder(photo, d)).toEqual({ mime: 'image/bmp', bytes: new Uint8Array([0x42, 0x4d, 0]) });
  });

  it('without a decoder, or when it fails, the placeholder is shown', async () => {
    expect(await photoOrPlaceholder(photo, null)).toBeNull();
    expect(await photoOrPlaceholder(photo, await loadWltDecoder(broken))).toBeNull();
    const svg = Buffer.from(placeholderDataUrl().split(',')[1]!, 'base64').toString();
    expect(svg).toContain(`width="${WLT_IMAGE.width}"`);
  });

  it('refuses a module that exports no decoder', async () => {
    await expect(loadWltDecoder(empty)).rejects.toThrow(/createWltDecoder/);
  });
});
