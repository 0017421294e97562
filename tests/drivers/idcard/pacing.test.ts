// The simulator's line pacing: pure wire-time arithmetic on tables, then the SimulatedReader on
// vitest's fake timers (the fake clock, not wall-clock time, is what the assertions read).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../lib/clock.ts';
import { commandFrame, FrameParser, type CommandName } from '../../../drivers/idcard/frame.ts';
import { SimulatedReader, type SimulatedReaderOptions } from '../../../drivers/idcard/simulator/device.ts';
import { findFixture } from '../../../drivers/idcard/simulator/cards.ts';
import { bytesOnWireBy, parseBaud, wireTimeMs } from '../../../drivers/idcard/simulator/pacing.ts';

describe('wire time at 8N1', () => {
  it.each([
    // bytes, baud, ms
    [1, 115200, 10_000 / 115200],
    [10, 115200, 100_000 / 115200],
    [1295, 115200, 12_950_000 / 115200],
    [1359, 115200, 13_590_000 / 115200],
    [1, 9600, 10_000 / 9600],
    [0, 115200, 0],
  ])('%i bytes at %i baud take %f ms', (bytes, baud, ms) => {
    expect(wireTimeMs(bytes, baud)).toBeCloseTo(ms, 9);
  });

  it.each([1, 2, 11, 12, 15, 1295, 2321])('%i bytes are on the wire exactly at their wire time, not a bit before', (n) => {
    expect(bytesOnWireBy(wireTimeMs(n))).toBe(n);
    expect(bytesOnWireBy(wireTimeMs(n) - 0.001)).toBe(n - 1);
  });

  it('nothing is on the wire at or before the start', () => {
    expect(bytesOnWireBy(0)).toBe(0);
    expect(bytesOnWireBy(-5)).toBe(0);
  });

  it.each([
    ['115200', 115200],
    ['9600', 9600],
  ])('parseBaud(%s)', (text, baud) => expect(parseBaud(text)).toBe(baud));
  it.each(['', 'fast', '0', '-9600', '1.5'])('parseBaud(%j) is a clear error', (text) => {
    expect(() => parseBaud(text)).toThrow(/is not a baud rate/);
  });
  it('a baud rate of zero is refused', () => {
    expect(() => wireTimeMs(1, 0)).toThrow(RangeError);
    expect(() => new SimulatedReader({ paceBaud: 0 })).toThrow(RangeError);
  });
});

describe('SimulatedReader pacing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function rig(options: SimulatedReaderOptions) {
    const reader = new SimulatedReader({ clock: systemClock, ...options });
    const parser = new FrameParser();
    let chunks: Array<{ at: number; n: number }> = [];
    let frames = 0;
    reader.onOutput((b) => {
      chunks.push({ at: Date.now(), n: b.length });
      frames += parser.push(b).length;
    });
    /** Sends one command; steps the fake clock 1 ms at a time until its whole answer is in. */
    const exchange = (name: CommandName) => {
      chunks = [];
      const before = frames;
      const start = Date.now();
      reader.receive(commandFrame(name));
      vi.advanceTimersByTime(0);
      for (let i = 0; i < 5000 && frames === before; i++) vi.advanceTimersByTime(1);
      return { elapsed: Date.now() - start, chunks: chunks.map((c) => ({ at: c.at - start, n: c.n })) };
    };
    reader.present(findFixture('resident')!);
    return { reader, exchange };
  }

  it('unpaced, a whole answer comes at once', () => {
    const { exchange } = rig({});
    expect(exchange('find').chunks).toEqual([{ at: 0, n: 15 }]);
    exchange('select');
    expect(exchange('readBase').chunks).toEqual([{ at: 0, n: 1295 }]);
  });

  it('paced at 115200, each exchange takes the wire time of the command and the answer, in ~1 ms slices', () => {
    const { exchange } = rig({ paceBaud: 115200 });
    for (const [name, answerBytes] of [
      ['samStatus', 11],
      ['find', 15],
      ['select', 19],
      ['readBase', 1295],
    ] as const) {
      const r = exchange(name);
      const wire = wireTimeMs(10 + answerBytes);
      expect(r.elapsed).toBeGreaterThanOrEqual(wire);
      expect(r.elapsed).toBeLessThanOrEqual(Math.ceil(wire) + 1);
      expect(r.chunks.reduce((s, c) => s + c.n, 0)).toBe(answerBytes);
      // At every slice the bytes delivered so far are those whose stop bit has passed.
      let total = 0;
      for (const c of r.chunks) {
        total += c.n;
        expect(total).toBeLessThanOrEqual(bytesOnWireBy(c.at - wireTimeMs(10)));
      }
    }
  });

  it('a 1295-byte read answer arrives in slices no larger than a millisecond of line', () => {
    const { exchange } = rig({ paceBaud: 115200 });
    exchange('find');
    exchange('select');
    const r = exchange('readBase');
    expect(r.chunks.length).toBeGreaterThanOrEqual(100);
    expect(Math.max(...r.chunks.map((c) => c.n))).toBeLessThanOrEqual(Math.ceil(115200 / 10 / 1000));
  });

  it('processing latency comes on top of the line; pacing can be switched off; the split fault keeps its own pace', () => {
    const { reader, exchange } = rig({ paceBaud: 9600, latencyMs: { find: 30 } });
    const find = exchange('find');
    expect(find.elapsed).toBeGreaterThanOrEqual(30 + wireTimeMs(25, 9600));
    expect(find.elapsed).toBeLessThanOrEqual(Math.ceil(30 + wireTimeMs(25, 9600)) + 1);
    reader.setPacing(null);
    expect(reader.pacing).toBeNull();
    expect(exchange('select').chunks).toEqual([{ at: 0, n: 19 }]);
    reader.setPacing(115200);
    reader.setFaults({ splitDelayMs: 2 });
    const sam = exchange('samStatus');
    expect(sam.chunks.every((c) => c.n === 1)).toBe(true);
    expect(sam.chunks).toHaveLength(11);
    expect(sam.chunks.slice(1).map((c, i) => c.at - sam.chunks[i]!.at)).toEqual(Array(10).fill(2));
  });
});
