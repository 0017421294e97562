// The split-pipe scheme of native-USB readers (IDCARD-PROTOCOL.md §4.3), pure: commands cut into
// preamble + LEN and the rest; answers joined back from two IN pipes whose packets arrive in any
// interleaving. Fixtures are the note's worked frames (as in frame.test.ts) and a whole read answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildResponse, FrameParser, fromHex, toHex } from '../../../drivers/idcard/frame.ts';
import { encodeReadData, encodeTextBlock } from '../../../drivers/idcard/encode.ts';
import { CARD_FIXTURES, fakeWlt } from '../../../drivers/idcard/simulator/cards.ts';
import { splitForPipes, SplitPipeJoiner } from '../../../drivers/idcard/transports/usbPipes.ts';

const ANSWERS = [
  'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97',
  'AA AA AA 96 69 00 04 00 00 80 84',
  'AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C',
  'AA AA AA 96 69 00 04 00 00 81 85',
  'AA AA AA 96 69 00 04 00 00 90 94',
  'AA AA AA 96 69 00 04 00 00 41 45',
].map(fromHex);
const READ_ANSWER = buildResponse(0x90, encodeReadData(encodeTextBlock(CARD_FIXTURES[0]!.card), fakeWlt()));

const chunks = (b: Uint8Array, size: number) => {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
};

describe('splitForPipes', () => {
  it.each([
    ['SAM status', 'AA AA AA 96 69 00 03 11 FF ED', 'aa aa aa 96 69 00 03', '11 ff ed'],
    ['find', 'AA AA AA 96 69 00 03 20 01 22', 'aa aa aa 96 69 00 03', '20 01 22'],
    ['set max RF bytes (with data)', 'AA AA AA 96 69 00 04 61 FF 50 CA', 'aa aa aa 96 69 00 04', '61 ff 50 ca'],
  ])('%s → preamble + LEN on one pipe, the rest on the other', (_n, frame, header, body) => {
    const [h, b] = splitForPipes(fromHex(frame));
    expect([toHex(h), toHex(b)]).toEqual([header, body]);
  });

  it('refuses what is not a frame', () => {
    expect(() => splitForPipes(fromHex('AA AA AA 96 69 00 03'))).toThrow(/longer than its 7-byte header/);
  });
});

describe('SplitPipeJoiner', () => {
  it('joins every worked answer and a whole read answer, header first or body first, in 64-byte packets', () => {
    for (const frame of [...ANSWERS, READ_ANSWER]) {
      for (const bodyFirst of [false, true]) {
        const j = new SplitPipeJoiner();
        const out: Uint8Array[] = [];
        const header = frame.subarray(0, 7);
        const body = chunks(frame.subarray(7), 64);
        if (!bodyFirst) out.push(...j.pushHeader(header));
        for (const c of body) out.push(...j.pushBody(c));
        if (bodyFirst) out.push(...j.pushHeader(header));
        expect(out.map(toHex)).toEqual([toHex(frame)]);
      }
    }
  });

  it('keeps answers in order when several are queued on both pipes', () => {
    const j = new SplitPipeJoiner();
    const out = [...j.pushBody(Uint8Array.from(ANSWERS.flatMap((a) => [...a.subarray(7)])))];
    expect(out).toEqual([]);
    for (const a of ANSWERS) out.push(...j.pushHeader(a.subarray(0, 7)));
    expect(out.map(toHex)).toEqual(ANSWERS.map(toHex));
    expect(j.counters).toEqual({ frames: ANSWERS.length, droppedHeaderBytes: 0, droppedBodyBytes: 0 });
  });

  it('resynchronises past junk on the header pipe and skips a header whose LEN cannot be real', () => {
    const j = new SplitPipeJoiner();
    const found = ANSWERS[0]!;
    // 3 junk bytes, then a "header" claiming LEN 0xFFFF, then the real one.
    const junk = fromHex('00 13 AA AA AA AA 96 69 FF FF');
    expect(j.pushHeader(junk)).toEqual([]);
    const out = [...j.pushHeader(found.subarray(0, 7)), ...j.pushBody(found.subarray(7))];
    expect(out.map(toHex)).toEqual([toHex(found)]);
    expect(j.counters.droppedHeaderBytes).toBe(junk.length);
  });

  it('reset() drops a half answer, so its leftover body cannot shift the next frame', () => {
    const j = new SplitPipeJoiner();
    j.pushHeader(READ_ANSWER.subarray(0, 7));
    j.pushBody(READ_ANSWER.subarray(7, 7 + 128)); // the session gave up on this read
    j.reset();
    const next = ANSWERS[1]!;
    const out = [...j.pushHeader(next.subarray(0, 7)), ...j.pushBody(next.subarray(7))];
    expect(out.map(toHex)).toEqual([toHex(next)]);
    expect(j.counters).toEqual({ frames: 1, droppedHeaderBytes: 7, droppedBodyBytes: 128 });
  });

  it('caps a body that no header claims at one frame', () => {
    const j = new SplitPipeJoiner(64);
    j.pushBody(new Uint8Array(100));
    expect(j.counters.droppedBodyBytes).toBe(36);
  });

  it("any interleaving of the two pipes' packets gives the same frames, each passing the FrameParser", () => {
    const frames = [ANSWERS[0]!, READ_ANSWER, ANSWERS[4]!];
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), fc.integer({ min: 1, max: 64 }), (order, size) => {
        const headers = frames.map((f) => f.subarray(0, 7));
        const bodies = frames.flatMap((f) => chunks(f.subarray(7), size));
        const j = new SplitPipeJoiner();
        const out: Uint8Array[] = [];
        let h = 0;
        let b = 0;
        for (let i = 0; h < headers.length || b < bodies.length; i++) {
          const takeHeader = b >= bodies.length || (h < headers.length && order[i % order.length]);
          out.push(...(takeHeader ? j.pushHeader(headers[h++]!) : j.pushBody(bodies[b++]!)));
        }
        expect(out.map(toHex)).toEqual(frames.map(toHex));
        const parser = new FrameParser();
        expect(out.flatMap((f) => parser.push(f)).length).toBe(frames.length);
      }),
      { numRuns: 200 },
    );
  });
});
