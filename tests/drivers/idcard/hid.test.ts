// The HID transport through 64-byte reports (no virtual HID device exists on these machines,
// TOOLCHAIN.md 4b). The report sequences below follow IDCARD-PROTOCOL.md §4.4 byte for byte.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../lib/clock.ts';
import { buildResponse, commandFrame, fromHex, toHex } from '../../../drivers/idcard/frame.ts';
import { ReaderSession, type CardEvent } from '../../../drivers/idcard/session.ts';
import { SimulatedReader } from '../../../drivers/idcard/simulator/device.ts';
import { findFixture } from '../../../drivers/idcard/simulator/cards.ts';
import { createHidTransport, type HidDevice } from '../../../drivers/idcard/transports/hid.ts';
import {
  ackReport,
  readReport,
  registerHidFraming,
  hidFraming,
  toReports,
  type HidVendorFraming,
} from '../../../drivers/idcard/transports/hidReports.ts';

const pad = (hex: string) => {
  const b = new Uint8Array(64);
  b.set(fromHex(hex));
  return b;
};

/** Recorded-style exchange: the host's find report and the reader's "card present" report. */
const FIND_OUT = pad('0A AA AA AA 96 69 00 03 20 01 22');
const FOUND_IN = pad('0F AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');

class ScriptedHid implements HidDevice {
  written: Uint8Array[] = [];
  private report: (r: Uint8Array) => void = () => undefined;
  private error: (e: Error) => void = () => undefined;
  onWritten: (r: Uint8Array) => void = () => undefined;
  async writeReport(r: Uint8Array) {
    expect(r).toHaveLength(64);
    this.written.push(r.slice());
    this.onWritten(r);
  }
  onReport(fn: (r: Uint8Array) => void) {
    this.report = fn;
  }
  onError(fn: (e: Error) => void) {
    this.error = fn;
  }
  async close() {}
  deliver(r: Uint8Array) {
    this.report(r);
  }
  fail(e: Error) {
    this.error(e);
  }
}

/** A HID reader made of the simulated SAM: reassembles host reports, ACKs full chunks, answers in reports. */
function hidReader(reader: SimulatedReader): ScriptedHid {
  const dev = new ScriptedHid();
  dev.onWritten = (r) => {
    const got = readReport(r);
    if (got.kind !== 'payload') return;
    reader.receive(got.bytes);
    if (got.bytes.length === 63) queueMicrotask(() => dev.deliver(ackReport()));
  };
  reader.onOutput((bytes) => {
    for (const rep of toReports(bytes)) queueMicrotask(() => dev.deliver(rep));
  });
  return dev;
}

describe('HID reports', () => {
  it('chunks a message into length-prefixed, zero-padded 64-byte reports', () => {
    const frame = commandFrame('find');
    expect(toReports(frame).map(toHex)).toEqual([toHex(FIND_OUT)]);
    const big = buildResponse(0x90, new Uint8Array(1284));
    const reports = toReports(big);
    expect(reports).toHaveLength(Math.ceil(1295 / 63));
    expect(reports.every((r) => r.length === 64)).toBe(true);
    expect(reports.slice(0, -1).every((r) => r[0] === 63)).toBe(true);
    expect(reports.at(-1)![0]).toBe(1295 % 63);
    expect(Buffer.concat(reports.map((r) => r.subarray(1, 1 + r[0]!))).equals(big)).toBe(true);
  });

  it('reads payload, ACK and empty reports (with or without a report-id byte)', () => {
    expect(readReport(FOUND_IN)).toEqual({ kind: 'payload', bytes: FOUND_IN.subarray(1, 16) });
    expect(readReport(ackReport())).toEqual({ kind: 'ack' });
    expect(readReport(new Uint8Array(64))).toEqual({ kind: 'ignored' });
    const withId = new Uint8Array(65);
    withId.set(FOUND_IN, 1);
    expect(readReport(withId, true)).toEqual({ kind: 'payload', bytes: FOUND_IN.subarray(1, 16) });
  });
});

describe('HID transport', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the recorded find report and delivers the recorded answer as SAM bytes', async () => {
    const dev = new ScriptedHid();
    const t = createHidTransport(dev, { description: 'hid:0483:572b' });
    const got: Uint8Array[] = [];
    t.onData((b) => got.push(b));
    await t.write(commandFrame('find'));
    expect(dev.written.map(toHex)).toEqual([toHex(FIND_OUT)]);
    dev.deliver(FOUND_IN);
    expect(toHex(Buffer.concat(got))).toBe(toHex(fromHex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97')));
  });

  it('waits for the device ACK between chunks of a long message', async () => {
    const dev = new ScriptedHid();
    const t = createHidTransport(dev, { description: 'hid', clock: systemClock, ackTimeoutMs: 1000 });
    const msg = new Uint8Array(100).fill(7);
    const done = t.write(msg);
    await vi.advanceTimersByTimeAsync(0);
    expect(dev.written).toHaveLength(1);
    dev.deliver(ackReport());
    await done;
    expect(dev.written).toHaveLength(2);
    expect(dev.written[1]![0]).toBe(37);
  });

  it('a vendor framing plug-in wraps and unwraps, and can ask for ACKs', async () => {
    const tunnel: HidVendorFraming = {
      name: 'test-tunnel',
      wrap: (f) => Uint8Array.of(0x00, 0x34, ...f),
      unwrap: (p) => ({ sam: p.subarray(2), ack: p[0] !== 0 }),
    };
    registerHidFraming(tunnel);
    expect(hidFraming('test-tunnel')).toBe(tunnel);
    const dev = new ScriptedHid();
    const t = createHidTransport(dev, { description: 'hid', framing: tunnel });
    const got: Uint8Array[] = [];
    t.onData((b) => got.push(b));
    await t.write(commandFrame('find'));
    expect(toHex(dev.written[0]!.subarray(0, 13))).toBe(toHex(fromHex('0C 00 34 AA AA AA 96 69 00 03 20 01 22')));
    dev.deliver(pad('04 C1 34 AA BB'));
    expect(toHex(got[0]!)).toBe('aa bb');
    expect(dev.written.at(-1)![0]).toBe(0xff); // ACK sent back
  });

  it('a whole session reads a card through HID reports, and an error on the device is a disconnect', async () => {
    const reader = new SimulatedReader({ clock: systemClock });
    let dev: ScriptedHid | null = null;
    const session = new ReaderSession({
      clock: systemClock,
      reconnectDelaysMs: [100],
      openTransport: async () => {
        dev = hidReader(reader);
        return createHidTransport(dev, { description: 'hid:0483:572b', clock: systemClock });
      },
    });
    const cards: CardEvent[] = [];
    session.on('card', (c) => cards.push(c));
    session.start();
    session.setReading(true);
    reader.present(findFixture('hk-mo-tw')!);
    await vi.advanceTimersByTimeAsync(600);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.card).toMatchObject({ cardType: 'hk-mo-tw', passNumber: 'H00000001' });
    dev!.fail(new Error('could not read from HID device'));
    await vi.advanceTimersByTimeAsync(1);
    expect(session.status.state).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(200);
    expect(session.status.state).toBe('ready');
    await session.stop();
  });
});
