// The HID transport and a whole ReaderSession replayed over complete 64-byte report sequences, one
// file per vendor framing (tests/fixtures/idcard-hid/). Those files are constructed from
// IDCARD-PROTOCOL.md, not captured from a device (see their README): what this proves is that the
// driver speaks the note's report and DK framings byte for byte, in the order a session needs.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../lib/clock.ts';
import { detectReader } from '../../../drivers/idcard/detect.ts';
import { toHex } from '../../../drivers/idcard/frame.ts';
import { ReaderSession, type CardEvent } from '../../../drivers/idcard/session.ts';
import { createHidTransport, type HidDevice } from '../../../drivers/idcard/transports/hid.ts';
import { hidFraming } from '../../../drivers/idcard/transports/hidReports.ts';

interface Report {
  dir: '>' | '<';
  bytes: Uint8Array;
  step: string;
}

function loadFixture(name: string): Report[] {
  const text = readFileSync(new URL(`../../fixtures/idcard-hid/${name}`, import.meta.url), 'utf8');
  const out: Report[] = [];
  let step = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) step = line.slice(3);
    const m = /^([<>]) ([0-9A-F ]+)$/.exec(line);
    if (!m) continue;
    const bytes = Uint8Array.from(
      m[2]!
        .trim()
        .split(' ')
        .map((b) => parseInt(b, 16)),
    );
    out.push({ dir: m[1] as '>' | '<', bytes, step });
  }
  return out;
}

/** A HID device that plays a recorded-style sequence: each host report must be the next '>' line. */
class ReplayHid implements HidDevice {
  at = 0;
  readonly problems: string[] = [];
  private report: (r: Uint8Array) => void = () => undefined;
  constructor(private readonly script: Report[]) {}
  async writeReport(r: Uint8Array) {
    const want = this.script[this.at];
    if (!want || want.dir !== '>') {
      this.problems.push(`unexpected host report ${toHex(r.subarray(0, 16))}… at line ${this.at}`);
      return;
    }
    if (toHex(r) !== toHex(want.bytes)) {
      this.problems.push(`${want.step}: host wrote ${toHex(r.subarray(0, 16))}…, fixture has ${toHex(want.bytes.subarray(0, 16))}…`);
      return;
    }
    this.at++;
    // The reader's answer: every input report up to the next output report, each in its own event.
    while (this.script[this.at]?.dir === '<') {
      const rep = this.script[this.at++]!.bytes;
      setTimeout(() => this.report(rep), 1);
    }
  }
  onReport(fn: (r: Uint8Array) => void) {
    this.report = fn;
  }
  onError() {}
  async close() {}
}

const EXPECTED_CARD = {
  cardType: 'resident',
  name: '王示例',
  gender: 'male',
  nation: '汉',
  birthDate: '1980-01-01',
  address: '北京市丰台区示例路2号院3号楼',
  idNumber: '110106198001010039',
  authority: '北京市公安局丰台分局',
  validFrom: '2015-03-01',
  validTo: '2035-03-01',
};

describe.each([
  { file: 'raw-session.hex', framing: 'raw' },
  { file: 'dk-sam-session.hex', framing: 'dk-sam' },
])('HID session replayed from $file', ({ file, framing }) => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('every line is a whole 64-byte report whose length byte fits', () => {
    const script = loadFixture(file);
    expect(script.length).toBeGreaterThan(20);
    for (const r of script) {
      expect(r.bytes).toHaveLength(64);
      expect(r.bytes[0]).toBeGreaterThanOrEqual(1);
      expect(r.bytes[0]).toBeLessThanOrEqual(63);
      expect(r.bytes.subarray(1 + r.bytes[0]!).every((b) => b === 0)).toBe(true);
    }
  });

  it('status, find, select, read, appended address, removal: the card once, then removed', async () => {
    const script = loadFixture(file);
    const dev = new ReplayHid(script);
    const codec = hidFraming(framing)!;
    expect(codec).toBeDefined();
    const session = new ReaderSession({
      clock: systemClock,
      pollIntervalMs: 300,
      readAppendedAddress: true,
      openTransport: async () => createHidTransport(dev, { description: 'hid:replay', framing: codec, clock: systemClock }),
    });
    const cards: CardEvent[] = [];
    let removed = 0;
    session.on('card', (c) => cards.push(c));
    session.on('removed', () => {
      removed++;
    });
    session.start();
    session.setReading(true);
    for (let i = 0; i < 50 && removed === 0; i++) await vi.advanceTimersByTimeAsync(50);
    await session.stop();

    expect(dev.problems).toEqual([]);
    expect(dev.at).toBe(script.length);
    expect(removed).toBe(1);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.card).toEqual(EXPECTED_CARD);
    expect(cards[0]!.appendedAddress).toBe('北京市丰台区示例路8号');
    expect(cards[0]!.photo.bytes).toHaveLength(1024);
    expect(Array.from(cards[0]!.photo.bytes.subarray(0, 4))).toEqual([3, 10, 17, 24]);
    expect(session.parserCounters).toMatchObject({ badChecksum: 0, badLength: 0, garbageBytes: 0 });
  });
});

it('detection picks the dk-sam framing for 德科 0483:572B, configured or found', async () => {
  expect(
    await detectReader({
      listSerial: async () => [],
      listHid: async () => [{ path: '/dev/hidraw3', vendorId: 0x0483, productId: 0x572b }],
    }),
  ).toMatchObject({ kind: 'hid', path: '/dev/hidraw3', framing: 'dk-sam' });
  expect(await detectReader({ configuredPort: 'hid:0483:572B' })).toMatchObject({ kind: 'hid', framing: 'dk-sam', source: 'configured' });
  // An unknown device configured by path gets the raw framing.
  expect(await detectReader({ configuredPort: 'hid:/dev/hidraw9' })).toMatchObject({ kind: 'hid', framing: 'raw' });
});
