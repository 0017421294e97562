import { describe, expect, it } from 'vitest';
import { RECOVERY_BUDGET } from '../../../main/kiosk/rendererRecovery.ts';
import {
  initialWindowWatch,
  isStale,
  onWindowEvent,
  relaunchDelayMs,
  RELAUNCH_BACKOFF_MS,
  WINDOW_WATCH,
  type WindowEvent,
} from '../../../main/kiosk/windowWatch.ts';

const S = 1000;
const MIN = 60 * S;
const crash: WindowEvent = { type: 'exited', code: null, signal: 'SIGKILL' };

/** Replays [event, at] rows from a window launched at 0; returns each action (type and delay). */
function replay(rows: [WindowEvent, number][]): string[] {
  let s = initialWindowWatch(0);
  return rows.map(([e, at]) => {
    const r = onWindowEvent(s, e, at);
    s = r.state;
    return r.action.type === 'relaunch' ? `relaunch+${r.action.afterMs}` : r.action.type;
  });
}

describe('kiosk window supervision (the core relaunches the window it opened)', () => {
  it.each([
    ['the first relaunch is immediate', 1, RELAUNCH_BACKOFF_MS[0]],
    ['the second waits a little', 2, RELAUNCH_BACKOFF_MS[1]],
    ['the third waits longer', 3, RELAUNCH_BACKOFF_MS[2]],
    ['beyond the table: the last delay', 7, RELAUNCH_BACKOFF_MS[2]],
    ['nonsense (0) counts as the first', 0, RELAUNCH_BACKOFF_MS[0]],
  ])('backoff: %s', (_n, reloads, ms) => {
    expect(relaunchDelayMs(reloads)).toBe(ms);
  });

  it('backs off as the window keeps dying, then gives up so systemd restarts the booth', () => {
    expect(
      replay([
        [crash, 1 * MIN],
        [{ type: 'launched' }, 1 * MIN],
        [crash, 2 * MIN],
        [{ type: 'launched' }, 2 * MIN],
        [crash, 3 * MIN],
        [{ type: 'launched' }, 3 * MIN],
        [crash, 4 * MIN],
      ]),
    ).toEqual([
      `relaunch+${RELAUNCH_BACKOFF_MS[0]}`,
      'none',
      `relaunch+${RELAUNCH_BACKOFF_MS[1]}`,
      'none',
      `relaunch+${RELAUNCH_BACKOFF_MS[2]}`,
      'none',
      'give-up',
    ]);
  });

  it('crashes spread over time never give up, and start again at the short delay', () => {
    const rows: [WindowEvent, number][] = [];
    for (let i = 1; i <= 6; i++) rows.push([crash, i * RECOVERY_BUDGET.perMs], [{ type: 'launched' }, i * RECOVERY_BUDGET.perMs]);
    expect(replay(rows).filter((a) => a !== 'none')).toEqual(Array(6).fill(`relaunch+${RELAUNCH_BACKOFF_MS[0]}`));
  });

  it.each([
    ['killed by a signal', { type: 'exited', code: null, signal: 'SIGSEGV' }],
    ['a non-zero exit', { type: 'exited', code: 1, signal: null }],
    // Nobody closes a kiosk window on purpose; Electron past its own budget exits too.
    ['even exit code 0', { type: 'exited', code: 0, signal: null }],
  ] as const)('any exit of the window is relaunched: %s', (_n, e) => {
    expect(replay([[e, 10 * S]])).toEqual([`relaunch+${RELAUNCH_BACKOFF_MS[0]}`]);
  });

  it.each([
    ['no ping yet, inside the start-up allowance', { lastPingAt: null }, WINDOW_WATCH.firstPingWithinMs, false],
    ['no ping yet, past the start-up allowance', { lastPingAt: null }, WINDOW_WATCH.firstPingWithinMs + 1, true],
    ['pinged recently', { lastPingAt: 100 * S }, 100 * S + WINDOW_WATCH.staleAfterMs, false],
    ['pings stopped', { lastPingAt: 100 * S }, 100 * S + WINDOW_WATCH.staleAfterMs + 1, true],
  ] as const)('staleness: %s → %s', (_n, patch, now, stale) => {
    expect(isStale({ ...initialWindowWatch(0), ...patch }, now)).toBe(stale);
  });

  it('a page that stops pinging gets a grace period, then its window is killed and relaunched without paying twice', () => {
    const ping: WindowEvent = { type: 'ping' };
    const check: WindowEvent = { type: 'check' };
    const stale = 10 * S + WINDOW_WATCH.staleAfterMs + 1;
    expect(
      replay([
        [ping, 10 * S],
        [check, 15 * S],
        [check, stale],
        [check, stale + RECOVERY_BUDGET.hangGraceMs - 1],
        [check, stale + RECOVERY_BUDGET.hangGraceMs],
        // The kill's own exit: relaunch at the first delay, not counted as a second failure.
        [crash, stale + RECOVERY_BUDGET.hangGraceMs + 50],
      ]),
    ).toEqual(['none', 'none', 'none', 'none', 'kill', `relaunch+${RELAUNCH_BACKOFF_MS[0]}`]);
  });

  it('a ping during the grace period cancels the kill', () => {
    const stale = 10 * S + WINDOW_WATCH.staleAfterMs + 1;
    expect(
      replay([
        [{ type: 'ping' }, 10 * S],
        [{ type: 'check' }, stale],
        [{ type: 'ping' }, stale + S],
        [{ type: 'check' }, stale + RECOVERY_BUDGET.hangGraceMs],
      ]),
    ).toEqual(['none', 'none', 'none', 'none']);
  });

  it('checks while a kill is under way do nothing (one kill, one relaunch)', () => {
    const stale = WINDOW_WATCH.firstPingWithinMs + 1;
    expect(
      replay([
        [{ type: 'check' }, stale],
        [{ type: 'check' }, stale + RECOVERY_BUDGET.hangGraceMs],
        [{ type: 'check' }, stale + RECOVERY_BUDGET.hangGraceMs + 5 * S],
      ]),
    ).toEqual(['none', 'kill', 'none']);
  });

  it('a relaunched window gets the start-up allowance again', () => {
    let s = initialWindowWatch(0);
    s = onWindowEvent(s, { type: 'ping' }, 5 * S).state;
    s = onWindowEvent(s, crash, 20 * S).state;
    s = onWindowEvent(s, { type: 'launched' }, 21 * S).state;
    expect(s.lastPingAt).toBeNull();
    expect(onWindowEvent(s, { type: 'check' }, 21 * S + WINDOW_WATCH.staleAfterMs + 1).action).toEqual({ type: 'none' });
    expect(isStale(s, 21 * S + WINDOW_WATCH.staleAfterMs + 1)).toBe(false);
  });

  it('hangs and crashes share one budget', () => {
    const ping: WindowEvent = { type: 'ping' };
    const check: WindowEvent = { type: 'check' };
    const t = (x: number) => 30 * S + x;
    const actions = replay([
      [crash, t(0)],
      [{ type: 'launched' }, t(0)],
      [crash, t(S)],
      [{ type: 'launched' }, t(S)],
      [ping, t(2 * S)],
      [check, t(2 * S + WINDOW_WATCH.staleAfterMs + 1)],
      [check, t(2 * S + WINDOW_WATCH.staleAfterMs + 1 + RECOVERY_BUDGET.hangGraceMs)],
      [crash, t(3 * MIN)],
      [{ type: 'launched' }, t(3 * MIN)],
      [crash, t(3 * MIN + S)],
    ]);
    expect(actions.filter((a) => a !== 'none')).toEqual([
      `relaunch+${RELAUNCH_BACKOFF_MS[0]}`,
      `relaunch+${RELAUNCH_BACKOFF_MS[1]}`,
      'kill',
      `relaunch+${RELAUNCH_BACKOFF_MS[2]}`,
      'give-up',
    ]);
  });
});
