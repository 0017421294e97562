import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../lib/clock.ts';
import { ReaderSession, type ReaderEvents, type ReaderSessionOptions } from '../../../drivers/idcard/session.ts';
import { SimulatedReader, type SimulatedReaderOptions } from '../../../drivers/idcard/simulator/device.ts';
import { findFixture } from '../../../drivers/idcard/simulator/cards.ts';
import { attachSimulator, MockTransport } from '../../../drivers/idcard/simulator/mockTransport.ts';

// The whole machine on vitest's fake timers: the session takes the (faked) system clock,
// the simulated reader answers through an in-memory transport.

function rig(opts: Partial<ReaderSessionOptions> = {}, sim: SimulatedReaderOptions = {}) {
  const reader = new SimulatedReader({ clock: systemClock, ...sim });
  let plugged = true;
  let current: MockTransport | null = null;
  let opens = 0;
  const session = new ReaderSession({
    clock: systemClock,
    pollIntervalMs: 500,
    openTransport: async () => {
      opens++;
      if (!plugged) throw new Error('ENOENT');
      const t = new MockTransport('mock:reader');
      attachSimulator(t, reader);
      current = t;
      return t;
    },
    ...opts,
  });
  const events: Array<{ type: keyof ReaderEvents; payload: unknown }> = [];
  for (const type of ['card', 'removed', 'error', 'status'] as const) session.on(type, (payload) => events.push({ type, payload }));
  const of = <K extends keyof ReaderEvents>(type: K) => events.filter((e) => e.type === type).map((e) => e.payload as ReaderEvents[K]);
  return {
    reader,
    session,
    events,
    of,
    get opens() {
      return opens;
    },
    unplug() {
      plugged = false;
      current?.disconnect(new Error('device disconnected'));
    },
    plug() {
      plugged = true;
    },
    get transport() {
      return current;
    },
  };
}

const resident = findFixture('resident')!;
const elder = findFixture('resident-long-term')!;
const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ReaderSession', () => {
  it('checks the SAM, then is ready; nothing is polled before reading is enabled', async () => {
    const r = rig();
    r.session.start();
    await tick(10);
    expect(r.session.status).toMatchObject({ state: 'ready', sam: 'ok', port: 'mock:reader', reading: false });
    r.reader.present(resident);
    await tick(3000);
    expect(r.of('card')).toEqual([]);
    // Only SAM status was sent (0x11), never find.
    expect(r.transport!.writes.every((w) => w[7] === 0x11)).toBe(true);
    await r.session.stop();
  });

  it('insert → read → hold → remove → re-insert: one card event per placement', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    await tick(600);
    expect(r.of('card')).toEqual([]);
    r.reader.present(resident);
    await tick(600);
    expect(r.of('card')).toHaveLength(1);
    expect(r.of('card')[0]!.card).toEqual(resident.card);
    expect(r.of('card')[0]!.photo.bytes).toHaveLength(1024);
    expect(r.session.status.cardOnReader).toBe(true);
    await tick(5000); // held: polled, not reported again
    expect(r.of('card')).toHaveLength(1);
    r.reader.remove();
    await tick(600);
    expect(r.of('removed')).toHaveLength(1);
    expect(r.session.status.cardOnReader).toBe(false);
    r.reader.present(resident); // the same card again
    await tick(600);
    expect(r.of('card')).toHaveLength(2);
    await r.session.stop();
  });

  it('a reader that answers "no card" while a read card stays reports it removed, and never twice', async () => {
    const r = rig({}, { afterRead: 'no-card' });
    r.session.start();
    r.session.setReading(true);
    r.reader.present(resident);
    await tick(600);
    expect(r.of('card')).toHaveLength(1);
    await tick(3000);
    expect(r.of('card')).toHaveLength(1);
    expect(r.of('removed')).toHaveLength(1);
    await r.session.stop();
  });

  it('a card swapped for another is removed, then the new one is read', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.present(resident);
    await tick(600);
    r.reader.remove();
    await tick(500);
    r.reader.present(elder);
    await tick(600);
    expect(r.events.filter((e) => e.type !== 'status').map((e) => e.type)).toEqual(['card', 'removed', 'card']);
    expect(r.of('card')[1]!.card.validTo).toBe('long-term');
    await r.session.stop();
  });

  it('a card swapped for another between two polls: the held one is removed, the new one read', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.present(resident);
    await tick(600);
    r.reader.present(elder); // no poll saw the reader empty
    await tick(600);
    expect(r.events.filter((e) => e.type !== 'status').map((e) => e.type)).toEqual(['card', 'removed', 'card']);
    await r.session.stop();
  });

  it('while reading, a held card is read again only to compare: the same card is never reported twice', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.present(resident);
    await tick(5000);
    const reads = r.transport!.writes.filter((w) => w[7] === 0x30).length;
    expect(reads).toBeGreaterThan(1);
    expect(r.of('card')).toHaveLength(1);
    expect(r.of('removed')).toHaveLength(0);
    await r.session.stop();
  });

  it('reads the appended address when enabled', async () => {
    const r = rig({ readAppendedAddress: true });
    r.session.start();
    r.session.setReading(true);
    r.reader.present(elder);
    await tick(600);
    expect(r.of('card')[0]!.appendedAddress).toBe('北京市丰台区示例村新址5号楼');
    r.reader.remove();
    await tick(600);
    r.reader.present(resident); // no appended address: SW3 91
    await tick(600);
    expect(r.of('card')[1]!.appendedAddress).toBeNull();
    await r.session.stop();
  });

  it('a card left on the reader does not leak into the next session', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.present(resident);
    await tick(600);
    r.session.setReading(false); // session ends, card stays
    await tick(5000);
    r.session.setReading(true); // next resident consents
    await tick(5000);
    expect(r.of('card')).toHaveLength(1);
    r.reader.remove();
    await tick(600);
    r.reader.present(elder);
    await tick(600);
    expect(r.of('card').map((c) => c.card.name)).toEqual(['张测试', '李样例']);
    await r.session.stop();
  });

  it('a card placed before consent is read only after reading is enabled', async () => {
    const r = rig();
    r.session.start();
    r.reader.present(resident);
    await tick(2000);
    expect(r.of('card')).toHaveLength(0);
    r.session.setReading(true);
    await tick(50);
    expect(r.of('card')).toHaveLength(1);
    await r.session.stop();
  });

  it('honours the poll interval (clamped to 200–1000 ms)', async () => {
    const r = rig({ pollIntervalMs: 50 });
    r.session.start();
    r.session.setReading(true);
    await tick(10);
    const finds = () => r.transport!.writes.filter((w) => w[7] === 0x20 && w[8] === 0x01).length;
    const before = finds();
    await tick(3000);
    expect(finds() - before).toBe(15); // every 200 ms
    await r.session.stop();
  });
});

describe('ReaderSession faults at each step', () => {
  it.each([
    ['select', 0x81, 'select-failed'],
    ['readBase', 0x41, 'read-failed'],
    ['readBase', 0x40, 'unsupported-card'],
  ] as const)('%s answering %s → one %s error per placement, then a good read', async (command, sw3, code) => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.setFaults({ status: { [command]: sw3 } });
    r.reader.present(resident);
    await tick(3000);
    expect(r.of('error').map((e) => e.code)).toEqual([code]);
    expect(r.of('error')[0]!.status!.code).toBe(sw3);
    expect(r.of('card')).toHaveLength(0);
    r.reader.clearFaults();
    await tick(600);
    expect(r.of('card')).toHaveLength(1);
    await r.session.stop();
  });

  it('find answering 80 while a card is there means no card', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.setFaults({ status: { find: 0x80 } });
    r.reader.present(resident);
    await tick(3000);
    expect(r.of('card')).toHaveLength(0);
    expect(r.of('error')).toHaveLength(0);
    await r.session.stop();
  });

  it('a card failing its check digit is a read error, never a card', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.present(findFixture('bad-check-digit')!);
    await tick(3000);
    expect(r.of('card')).toHaveLength(0);
    expect(r.of('error').map((e) => e.code)).toEqual(['check-digit']);
    await r.session.stop();
  });

  it('garbage before every answer and answers split byte by byte still read', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.setFaults({ garbage: true, splitDelayMs: 1 });
    r.reader.present(resident);
    await tick(5000);
    expect(r.of('card')).toHaveLength(1);
    expect(r.session.parserCounters.garbageBytes).toBeGreaterThan(0);
    await r.session.stop();
  });

  it('a bad checksum is a missed answer: timeouts, then the link is reopened, then it reads', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    await tick(10);
    r.reader.setFaults({ badChecksum: true });
    r.reader.present(resident);
    await tick(4000);
    expect(r.session.parserCounters.badChecksum + r.session.stats.timeouts).toBeGreaterThan(0);
    expect(r.of('card')).toHaveLength(0);
    r.reader.clearFaults();
    await tick(10_000);
    expect(r.of('card')).toHaveLength(1);
    await r.session.stop();
  });

  it('SAM faults (60, 66) are reported as status and one error, and clear when the SAM recovers', async () => {
    const r = rig();
    r.reader.setFaults({ status: { samStatus: 0x60 } });
    r.session.start();
    r.session.setReading(true);
    r.reader.present(resident);
    await tick(20_000);
    expect(r.session.status).toMatchObject({ state: 'sam-fault', sam: 'fault' });
    expect(r.session.status.samStatus!.code).toBe(0x60);
    expect(r.of('error').map((e) => e.code)).toEqual(['sam-fault']);
    expect(r.of('card')).toHaveLength(0);
    r.reader.clearFaults();
    await tick(5100);
    expect(r.session.status.state).toBe('ready');
    await tick(600);
    expect(r.of('card')).toHaveLength(1);
    await r.session.stop();
  });

  it('a slow SAM within the timeout is just slow', async () => {
    const r = rig();
    r.reader.setFaults({ samDelayMs: 1500 });
    r.session.start();
    await tick(1400);
    expect(r.session.status.state).toBe('checking-sam');
    await tick(200);
    expect(r.session.status.state).toBe('ready');
    await r.session.stop();
  });

  it('a SAM slower than the timeout: unknown, then the link is reopened', async () => {
    const r = rig();
    r.reader.setFaults({ samDelayMs: 10_000 });
    r.session.start();
    await tick(30_000);
    expect(r.session.status.sam).not.toBe('ok');
    expect(r.opens).toBeGreaterThan(1);
    r.reader.clearFaults();
    await tick(30_000);
    expect(r.session.status.state).toBe('ready');
    await r.session.stop();
  });

  it('a read that fails after reading was switched off and on again (a retry) is not reported: it was of the card before', async () => {
    const r = rig({}, { latencyMs: { readBase: 700 } });
    r.reader.present(findFixture('bad-check-digit')!);
    r.session.start();
    r.session.setReading(true);
    await tick(100); // find and select answered, the read's answer still on its way
    expect(r.transport!.writes.filter((w) => w[7] === 0x30)).toHaveLength(1);
    r.reader.remove(); // the resident takes the card away and touches 再试一次
    r.session.setReading(false);
    r.session.setReading(true);
    await tick(3000);
    expect(r.of('error')).toEqual([]);
    r.reader.present(findFixture('bad-check-digit')!); // a bad card placed after the retry still says so
    await tick(3500); // after the transient-retry window (a check-digit failure may be a spoilt read)
    expect(r.of('error').map((e) => e.code)).toEqual(['check-digit']);
    await r.session.stop();
  });

  it('a read answered after its timeout is taken on the resend', async () => {
    const r = rig({}, { latencyMs: { readBase: 5000 } });
    r.session.start();
    r.session.setReading(true);
    r.reader.present(resident);
    await tick(3600);
    expect(r.session.status.resends).toBe(1);
    await tick(2000);
    expect(r.of('card')).toHaveLength(1);
    expect(r.of('error')).toEqual([]);
    await r.session.stop();
  });

  it('a read never answered: resent twice, then the link is reopened and the card read', async () => {
    const r = rig({ reconnectDelaysMs: [100] });
    r.session.start();
    r.session.setReading(true);
    await tick(10);
    for (let i = 0; i < 3; i++) r.reader.faultOnce('readBase', 'silent');
    r.reader.present(resident);
    await tick(10_500); // the read goes out at about 0.5 s; three 3-s timeouts
    expect(r.session.status.resends).toBe(2);
    expect(r.opens).toBe(2);
    await tick(1000);
    expect(r.of('card')).toHaveLength(1);
    await r.session.stop();
  });
});

describe('ReaderSession rides out one transient fault (issue 14)', () => {
  it('one spoilt read answer: resent at once, then the cycle is retried; the card is read, nothing reported', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    await tick(10);
    r.reader.faultOnce('readBase', 'bad-checksum');
    r.reader.present(resident);
    await tick(1200);
    expect(r.of('card')).toHaveLength(1);
    expect(r.of('error')).toEqual([]);
    expect(r.session.parserCounters.badChecksum).toBe(1);
    expect(r.session.stats.timeouts).toBe(0); // not waited out
    // The simulated SAM has read the card once, so the resent read answers 41: one cycle retry.
    expect(r.session.status).toMatchObject({ resends: 1, retries: 1 });
    await r.session.stop();
  });

  it('one SW3 41 (the card moved during the read): the cycle is retried and the card read', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    await tick(10);
    r.reader.faultOnce('readBase', { sw3: 0x41 });
    r.reader.present(resident);
    await tick(1200);
    expect(r.of('card')).toHaveLength(1);
    expect(r.of('error')).toEqual([]);
    expect(r.session.status).toMatchObject({ resends: 0, retries: 1 });
    expect(r.of('status').at(-1)).toMatchObject({ retries: 1 });
    await r.session.stop();
  });

  it('SW3 10 (our command arrived spoilt) resends the command', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    await tick(10);
    r.reader.faultOnce('select', { sw3: 0x10 });
    r.reader.present(resident);
    await tick(700);
    expect(r.of('card')).toHaveLength(1);
    expect(r.session.status).toMatchObject({ resends: 1, retries: 0 });
    await r.session.stop();
  });

  it("a lasting 41 is reported after the retry window, or at the caller's deadline", async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.setFaults({ status: { readBase: 0x41 } });
    r.reader.present(resident);
    await tick(1500);
    expect(r.of('error')).toEqual([]); // still retrying
    await tick(1500);
    expect(r.of('error').map((e) => e.code)).toEqual(['read-failed']);
    expect(r.session.status.retries).toBeGreaterThanOrEqual(3);

    r.session.setReading(false);
    r.session.setReading(true, { retryForMs: 8000 });
    await tick(6000);
    expect(r.of('error')).toHaveLength(1);
    expect(r.session.lastRetried).toMatchObject({ code: 'read-failed', status: { code: 0x41 } });
    await tick(3000);
    expect(r.of('error')).toHaveLength(2);
    await r.session.stop();
  });

  it('a card lifted after a 41 is not reported as unreadable: it is simply gone', async () => {
    const r = rig();
    r.session.start();
    r.session.setReading(true);
    r.reader.faultOnce('readBase', { sw3: 0x41 });
    r.reader.present(resident);
    await tick(300);
    r.reader.remove();
    await tick(5000);
    expect(r.of('error')).toEqual([]);
    expect(r.of('card')).toEqual([]);
    await r.session.stop();
  });
});

describe('ReaderSession disconnect and reconnect', () => {
  it('port vanishes mid-session, comes back, reading resumes', async () => {
    const r = rig({ reconnectDelaysMs: [250, 500, 1000] });
    r.session.start();
    r.session.setReading(true);
    await tick(100);
    r.unplug();
    await tick(10);
    expect(r.session.status).toMatchObject({ state: 'disconnected', port: null });
    await tick(5000);
    expect(r.session.status.state).toBe('disconnected');
    r.plug();
    await tick(1100);
    expect(r.session.status.state).toBe('ready');
    r.reader.present(resident);
    await tick(600);
    expect(r.of('card')).toHaveLength(1);
    const states = r.of('status').map((s) => s.state);
    expect(states).toContain('disconnected');
    expect(states.at(-1)).toBe('ready');
    await r.session.stop();
    expect(r.session.status.state).toBe('stopped');
  });

  it('unplugged during a read: no card, no crash, reads after replug', async () => {
    const r = rig({ reconnectDelaysMs: [100] }, { latencyMs: { readBase: 200 } });
    r.session.start();
    r.session.setReading(true);
    r.reader.present(resident);
    await tick(100);
    r.unplug();
    await tick(1000);
    expect(r.of('card')).toHaveLength(0);
    r.plug();
    await tick(1000);
    expect(r.of('card')).toHaveLength(1);
    await r.session.stop();
  });

  it('a silent reader is declared lost after three missed answers and reopened', async () => {
    const r = rig({ reconnectDelaysMs: [100] });
    r.session.start();
    r.session.setReading(true);
    await tick(10);
    r.reader.setFaults({ silent: true });
    await tick(6000);
    expect(r.session.stats.reconnects).toBeGreaterThanOrEqual(1);
    r.reader.setFaults({ silent: false });
    r.reader.present(resident);
    await tick(6000);
    expect(r.of('card')).toHaveLength(1);
    await r.session.stop();
  });
});
