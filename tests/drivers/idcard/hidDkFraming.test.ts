// 德科 DK framing (IDCARD-PROTOCOL.md §4.4): tables of message sizes, reassembly, and the faults a
// USB link can produce; then a whole session through HID reports against the simulated SAM.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../lib/clock.ts';
import { buildResponse, commandFrame, FrameParser, fromHex, toHex } from '../../../drivers/idcard/frame.ts';
import { ReaderSession, type CardEvent } from '../../../drivers/idcard/session.ts';
import { SimulatedReader } from '../../../drivers/idcard/simulator/device.ts';
import { findFixture } from '../../../drivers/idcard/simulator/cards.ts';
import { createHidTransport, type HidDevice } from '../../../drivers/idcard/transports/hid.ts';
import { createDkSamFraming, dkFrames, DK_SAM_COMMAND } from '../../../drivers/idcard/transports/hidDkFraming.ts';
import { readReport, toReports } from '../../../drivers/idcard/transports/hidReports.ts';

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('dkFrames', () => {
  it.each([
    // data bytes, follow frames, total length (2 header + data + 1 per follow frame)
    [0, 0, 2],
    [10, 0, 12],
    [61, 0, 63],
    [62, 1, 65],
    [123, 1, 126],
    [124, 2, 128],
    [1299, 20, 1321], // a 1295-byte read answer behind its 90 00 status
    [61 + 63 * 62, 63, 2 + 61 + 63 * 62 + 63],
  ])('%i data bytes → %i follow frames, %i bytes', (n, follow, total) => {
    const data = bytes(n);
    const msg = dkFrames(DK_SAM_COMMAND, data);
    expect(msg).toHaveLength(total);
    expect(msg[0]).toBe(follow);
    expect(msg[1]).toBe(0x34);
    // Cut into reports, every report is one DK frame: a start frame, then C1, C2, … in order.
    const payloads = toReports(msg).map((r) => r.subarray(1, 1 + r[0]!));
    expect(payloads).toHaveLength(follow + 1);
    payloads.slice(1).forEach((p, i) => expect(p[0]).toBe(0xc0 | (i + 1)));
    const rebuilt = Buffer.concat([payloads[0]!.subarray(2), ...payloads.slice(1).map((p) => p.subarray(1))]);
    expect(rebuilt.equals(data)).toBe(true);
  });

  it('refuses a message that needs more than 63 follow frames', () => {
    expect(() => dkFrames(DK_SAM_COMMAND, bytes(61 + 63 * 62 + 1))).toThrow(/too long/);
  });

  it('wraps the find command as in the note: 00 34 + the SAM frame', () => {
    expect(toHex(createDkSamFraming().wrap(commandFrame('find')))).toBe(toHex(fromHex('00 34 AA AA AA 96 69 00 03 20 01 22')));
  });
});

/** What the reader sends for a SAM answer: DK 0x34, status 90 00, the frame; one payload per report. */
const answerPayloads = (sam: Uint8Array, status = [0x90, 0x00], command = DK_SAM_COMMAND) =>
  toReports(dkFrames(command, Uint8Array.of(...status, ...sam))).map((r) => r.subarray(1, 1 + r[0]!));

describe('unwrap', () => {
  const read = buildResponse(0x90, bytes(1284));

  it('reassembles a 21-report read answer into the SAM frame, only when the last frame is in', () => {
    const f = createDkSamFraming();
    const payloads = answerPayloads(read);
    expect(payloads).toHaveLength(21);
    const outs = payloads.map((p) => f.unwrap(p));
    expect(outs.slice(0, -1).every((o) => o.sam.length === 0 && !o.ack)).toBe(true);
    expect(toHex(outs.at(-1)!.sam)).toBe(toHex(read));
    expect(new FrameParser().push(outs.at(-1)!.sam)).toHaveLength(1);
    expect(f.counters).toEqual({ messages: 1, rejected: 0, sequenceErrors: 0 });
  });

  it.each([
    [
      'a status other than 90 00 (the command failed)',
      answerPayloads(buildResponse(0x90), [0x6e, 0x81]),
      { messages: 0, rejected: 1, sequenceErrors: 0 },
    ],
    [
      'another DK command (a button press, 0x75)',
      answerPayloads(Uint8Array.of(1), [0x90, 0x00], 0x75),
      { messages: 0, rejected: 1, sequenceErrors: 0 },
    ],
    ['a start frame shorter than its header', [Uint8Array.of(0x00, 0x34, 0x90)], { messages: 0, rejected: 1, sequenceErrors: 0 }],
    ['a follow frame with no start frame', [Uint8Array.of(0xc1, 1, 2, 3)], { messages: 0, rejected: 0, sequenceErrors: 1 }],
  ])('drops %s', (_what, payloads, counters) => {
    const f = createDkSamFraming();
    expect(payloads.map((p) => f.unwrap(p).sam.length)).toEqual(payloads.map(() => 0));
    expect(f.counters).toEqual(counters);
  });

  it('a lost follow frame drops the answer; the next answer is whole again', () => {
    const f = createDkSamFraming();
    const payloads = answerPayloads(read);
    const lossy = [...payloads.slice(0, 5), ...payloads.slice(6)];
    expect(lossy.every((p) => f.unwrap(p).sam.length === 0)).toBe(true);
    expect(f.counters.sequenceErrors).toBeGreaterThanOrEqual(1);
    const ok = answerPayloads(buildResponse(0x90)).map((p) => f.unwrap(p));
    expect(toHex(ok.at(-1)!.sam)).toBe(toHex(buildResponse(0x90)));
  });

  it('reset forgets a half answer', () => {
    const f = createDkSamFraming();
    const payloads = answerPayloads(read);
    f.unwrap(payloads[0]!);
    f.reset?.();
    expect(f.unwrap(payloads[1]!).sam).toHaveLength(0);
    expect(f.counters.sequenceErrors).toBe(1);
  });
});

/** A 德科 reader made of the simulated SAM: unwraps DK host frames, answers in DK frames. */
class DkReader implements HidDevice {
  private report: (r: Uint8Array) => void = () => undefined;
  private error: (e: Error) => void = () => undefined;
  private pending: Uint8Array[] = [];
  private follow = 0;
  constructor(private readonly sam: SimulatedReader) {
    sam.onOutput((frame) => {
      for (const rep of toReports(dkFrames(DK_SAM_COMMAND, Uint8Array.of(0x90, 0x00, ...frame)))) setTimeout(() => this.report(rep), 1);
    });
  }
  async writeReport(r: Uint8Array) {
    const got = readReport(r);
    if (got.kind !== 'payload') return;
    const p = got.bytes;
    if ((p[0]! & 0xc0) === 0) {
      expect(p[1]).toBe(DK_SAM_COMMAND);
      this.follow = p[0]! & 0x3f;
      this.pending = [p.subarray(2)];
    } else {
      this.pending.push(p.subarray(1));
    }
    if (this.pending.length === this.follow + 1) this.sam.receive(Buffer.concat(this.pending));
  }
  onReport(fn: (r: Uint8Array) => void) {
    this.report = fn;
  }
  onError(fn: (e: Error) => void) {
    this.error = fn;
  }
  async close() {}
  fail(e: Error) {
    this.error(e);
  }
}

describe('a session over the dk-sam framing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads every card type, reports each once, sees it leave, and recovers from a device error', async () => {
    const sam = new SimulatedReader({ clock: systemClock });
    let dev: DkReader | null = null;
    const session = new ReaderSession({
      clock: systemClock,
      reconnectDelaysMs: [100],
      readAppendedAddress: true,
      openTransport: async () => {
        dev = new DkReader(sam);
        return createHidTransport(dev, { description: 'hid:0483:572b', framing: createDkSamFraming(), clock: systemClock });
      },
    });
    const cards: CardEvent[] = [];
    let removed = 0;
    session.on('card', (c) => cards.push(c));
    session.on('removed', () => {
      removed++;
    });
    session.start();
    session.setReading(true);
    const ids = ['resident-long-term', 'hk-mo-tw', 'foreign-2017', 'foreign-2023'];
    for (const id of ids) {
      sam.present(findFixture(id)!);
      await vi.advanceTimersByTimeAsync(1500);
      sam.remove();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(cards.map((c) => c.card.cardType)).toEqual(['resident', 'hk-mo-tw', 'foreign-2017', 'foreign-2023']);
    expect(cards[0]!.appendedAddress).toBe('北京市丰台区示例村新址5号楼');
    expect(removed).toBe(4);
    dev!.fail(new Error('could not read from HID device'));
    await vi.advanceTimersByTimeAsync(1);
    expect(session.status.state).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(300);
    expect(session.status.state).toBe('ready');
    await session.stop();
  });
});
