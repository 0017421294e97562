import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asCommand,
  asResponse,
  buildCommand,
  buildResponse,
  commandFrame,
  FrameParser,
  fromHex,
  toHex,
  xor,
} from '../../../drivers/idcard/frame.ts';
import { encodeReadData, encodeTextBlock } from '../../../drivers/idcard/encode.ts';
import { CARD_FIXTURES, fakeWlt } from '../../../drivers/idcard/simulator/cards.ts';

// Worked frames from IDCARD-PROTOCOL.md §1 / §2.1 (checksums verified there).
const REAL_FRAMES: Record<string, string> = {
  find: 'AA AA AA 96 69 00 03 20 01 22',
  cardPresent: 'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97',
  noCard: 'AA AA AA 96 69 00 04 00 00 80 84',
  select: 'AA AA AA 96 69 00 03 20 02 21',
  selectOk: 'AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C',
  selectFail: 'AA AA AA 96 69 00 04 00 00 81 85',
  samStatus: 'AA AA AA 96 69 00 03 11 FF ED',
  samOk: 'AA AA AA 96 69 00 04 00 00 90 94',
  readBase: 'AA AA AA 96 69 00 03 30 01 32',
  readFailed: 'AA AA AA 96 69 00 04 00 00 41 45',
  resetSam: 'AA AA AA 96 69 00 03 10 FF EC',
  samId: 'AA AA AA 96 69 00 03 12 FF EE',
  readFp: 'AA AA AA 96 69 00 03 30 10 23',
  readAddress: 'AA AA AA 96 69 00 03 30 03 30',
  setMaxRf: 'AA AA AA 96 69 00 04 61 FF 50 CA',
  sleep: 'AA AA AA 96 69 00 02 00 02',
};

/** A whole 1295-byte read answer (header exactly as in §3.1: `… 05 08 00 00 90 01 00 04 00`). */
const readAnswer = buildResponse(0x90, encodeReadData(encodeTextBlock(CARD_FIXTURES[0]!.card), fakeWlt()));

describe('frame builder', () => {
  it('builds every command frame of the protocol note byte for byte', () => {
    expect(toHex(commandFrame('find'))).toBe(REAL_FRAMES.find!.toLowerCase());
    expect(toHex(commandFrame('select'))).toBe(REAL_FRAMES.select!.toLowerCase());
    expect(toHex(commandFrame('samStatus'))).toBe(REAL_FRAMES.samStatus!.toLowerCase());
    expect(toHex(commandFrame('readBase'))).toBe(REAL_FRAMES.readBase!.toLowerCase());
    expect(toHex(commandFrame('resetSam'))).toBe(REAL_FRAMES.resetSam!.toLowerCase());
    expect(toHex(commandFrame('samId'))).toBe(REAL_FRAMES.samId!.toLowerCase());
    expect(toHex(commandFrame('readWithFingerprint'))).toBe(REAL_FRAMES.readFp!.toLowerCase());
    expect(toHex(commandFrame('readAppendedAddress'))).toBe(REAL_FRAMES.readAddress!.toLowerCase());
    expect(toHex(buildCommand(0x61, 0xff, Uint8Array.of(0x50)))).toBe(REAL_FRAMES.setMaxRf!.toLowerCase());
    expect(toHex(buildCommand(0x00, null))).toBe(REAL_FRAMES.sleep!.toLowerCase());
  });

  it('builds the answers of the protocol note byte for byte', () => {
    expect(toHex(buildResponse(0x9f, new Uint8Array(4)))).toBe(REAL_FRAMES.cardPresent!.toLowerCase());
    expect(toHex(buildResponse(0x80))).toBe(REAL_FRAMES.noCard!.toLowerCase());
    expect(toHex(buildResponse(0x90, new Uint8Array(8)))).toBe(REAL_FRAMES.selectOk!.toLowerCase());
    expect(toHex(buildResponse(0x41))).toBe(REAL_FRAMES.readFailed!.toLowerCase());
  });

  it('gives the read answer the documented size and header', () => {
    expect(readAnswer.length).toBe(1295);
    expect(toHex(readAnswer.subarray(0, 14))).toBe('aa aa aa 96 69 05 08 00 00 90 01 00 04 00');
  });
});

describe('FrameParser on real frames, split at every byte boundary', () => {
  const all = [...Object.values(REAL_FRAMES).map(fromHex), readAnswer];
  for (const [i, frame] of all.entries()) {
    it(`frame ${i} (${frame.length} bytes) parses whole from any two-piece split`, () => {
      for (let cut = 0; cut <= frame.length; cut++) {
        const p = new FrameParser();
        const got = [...p.push(frame.subarray(0, cut)), ...p.push(frame.subarray(cut))];
        expect(got).toHaveLength(1);
        expect(Buffer.from(got[0]!.raw).equals(frame)).toBe(true);
        expect(p.pending).toBe(0);
      }
    });
  }

  it('parses a byte-by-byte stream of every frame back to back', () => {
    const p = new FrameParser();
    const stream = Buffer.concat(all);
    const out = [];
    for (const b of stream) out.push(...p.push(Uint8Array.of(b)));
    expect(out.map((f) => toHex(f.raw))).toEqual(all.map(toHex));
  });

  it('exposes commands and responses', () => {
    const [f] = new FrameParser().push(fromHex(REAL_FRAMES.cardPresent!));
    expect(asResponse(f!)).toMatchObject({ sw1: 0, sw2: 0, sw3: 0x9f });
    expect(asResponse(f!)!.data).toHaveLength(4);
    const [c] = new FrameParser().push(fromHex(REAL_FRAMES.find!));
    expect(asCommand(c!)).toMatchObject({ cmd: 0x20, para: 0x01 });
    const [s] = new FrameParser().push(fromHex(REAL_FRAMES.sleep!));
    expect(asCommand(s!)).toMatchObject({ cmd: 0x00, para: null });
  });
});

describe('FrameParser resync and rejection', () => {
  it('skips garbage, including partial preambles, before a frame', () => {
    const p = new FrameParser();
    const junk = Uint8Array.of(0x00, 0xaa, 0xaa, 0x13, 0xaa, 0xaa, 0xaa, 0x96, 0x12, 0xaa, 0xaa);
    const frames = p.push(Buffer.concat([junk, fromHex(REAL_FRAMES.samOk!)]));
    expect(frames.map((f) => toHex(f.raw))).toEqual([toHex(fromHex(REAL_FRAMES.samOk!))]);
    expect(p.counters.garbageBytes).toBe(junk.length);
  });

  it('drops a frame with a bad checksum, counts it, and finds the next good one', () => {
    const bad = fromHex(REAL_FRAMES.noCard!);
    bad[bad.length - 1]! ^= 1;
    const p = new FrameParser();
    const frames = p.push(Buffer.concat([bad, fromHex(REAL_FRAMES.samOk!)]));
    expect(frames).toHaveLength(1);
    expect(asResponse(frames[0]!)!.sw3).toBe(0x90);
    expect(p.counters.badChecksum).toBe(1);
  });

  it('rejects impossible lengths (0, 1, beyond the cap) and resynchronises', () => {
    const p = new FrameParser({ maxFrameBytes: 2400 });
    const frames = p.push(Buffer.concat([fromHex('AA AA AA 96 69 00 01'), fromHex('AA AA AA 96 69 FF FF'), fromHex(REAL_FRAMES.samOk!)]));
    expect(frames).toHaveLength(1);
    expect(p.counters.badLength).toBe(2);
  });

  it('discards a partial frame after an inter-byte gap, so the next answer is not swallowed', () => {
    const p = new FrameParser({ interByteGapMs: 50 });
    expect(p.push(fromHex('AA AA AA 96 69 05 08 00 00 90'), 1000)).toEqual([]);
    const frames = p.push(fromHex(REAL_FRAMES.samOk!), 1200);
    expect(frames).toHaveLength(1);
    expect(p.counters.gapResets).toBe(1);
  });

  it('keeps a partial frame whose bytes keep coming', () => {
    const p = new FrameParser({ interByteGapMs: 50 });
    let t = 0;
    const out = [];
    for (const b of readAnswer) out.push(...p.push(Uint8Array.of(b), (t += 10)));
    expect(out).toHaveLength(1);
  });

  it('never holds more than the cap', () => {
    const p = new FrameParser({ maxFrameBytes: 2400 });
    p.push(fromHex('AA AA AA 96 69 09 0A'));
    for (let i = 0; i < 100; i++) p.push(new Uint8Array(1000).fill(0x11));
    expect(p.pending).toBeLessThanOrEqual(2400);
  });
});

describe('FrameParser properties', () => {
  it('random bytes never throw and never yield a frame with a bad checksum or length', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const p = new FrameParser({ maxFrameBytes: 512 });
        for (const c of chunks) {
          for (const f of p.push(c)) {
            expect(f.raw.length).toBeLessThanOrEqual(512);
            expect(f.raw[f.raw.length - 1]).toBe(xor(f.raw, 5, f.raw.length - 1));
            expect(((f.raw[5]! << 8) | f.raw[6]!) + 7).toBe(f.raw.length);
          }
          expect(p.pending).toBeLessThanOrEqual(512);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('valid frames survive random garbage between them and any chunking', () => {
    const frameArb = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 })).map(([sw3, d]) => buildResponse(sw3, d));
    // Garbage without 0xAA cannot fake a preamble, so every frame must come out exactly.
    const junkArb = fc.uint8Array({ maxLength: 20 }).map((u) => u.map((b) => (b === 0xaa ? 0x55 : b)));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(junkArb, frameArb), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }),
        (parts, sizes) => {
          const stream = Buffer.concat(parts.flatMap(([j, f]) => [j, f]));
          const p = new FrameParser();
          const got: string[] = [];
          let off = 0;
          for (let i = 0; off < stream.length; i++) {
            const n = sizes[i % sizes.length]!;
            got.push(...p.push(stream.subarray(off, off + n)).map((f) => toHex(f.raw)));
            off += n;
          }
          expect(got).toEqual(parts.map(([, f]) => toHex(f)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
