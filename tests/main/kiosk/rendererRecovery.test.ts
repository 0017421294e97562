import { describe, expect, it } from 'vitest';
import { initialRecovery, onRendererTrouble, RECOVERY_BUDGET, type RendererTrouble } from '../../../main/kiosk/rendererRecovery.ts';

function replay(events: [RendererTrouble, number][]) {
  let s = initialRecovery();
  const actions = [];
  for (const [t, at] of events) {
    const r = onRendererTrouble(s, t, at);
    s = r.state;
    actions.push(r.action.type);
  }
  return actions;
}

const gone: RendererTrouble = { type: 'gone', reason: 'crashed' };
const MIN = 60_000;

describe('renderer crash and hang recovery', () => {
  it('reloads the start screen after a crash, up to 3 times in 5 minutes, then exits for systemd', () => {
    expect(
      replay([
        [gone, 0],
        [gone, MIN],
        [gone, 2 * MIN],
        [gone, 3 * MIN],
      ]),
    ).toEqual(['reload-start-screen', 'reload-start-screen', 'reload-start-screen', 'exit-for-service-restart']);
  });

  it('crashes spread out over time keep reloading', () => {
    expect(
      replay([
        [gone, 0],
        [gone, 3 * MIN],
        [gone, 6 * MIN],
        [gone, 9 * MIN],
        [gone, 12 * MIN],
      ]),
    ).toEqual(Array(5).fill('reload-start-screen'));
  });

  it('a clean exit is not a crash', () => {
    expect(replay([[{ type: 'gone', reason: 'clean-exit' }, 0]])).toEqual(['none']);
  });

  it('a hang gets a grace period, then a reload; recovering in time cancels it', () => {
    const hang: RendererTrouble = { type: 'unresponsive' };
    expect(
      replay([
        [hang, 0],
        [hang, RECOVERY_BUDGET.hangGraceMs],
      ]),
    ).toEqual(['wait-for-hang', 'reload-start-screen']);
    expect(
      replay([
        [hang, 0],
        [{ type: 'responsive' }, 3000],
        [hang, RECOVERY_BUDGET.hangGraceMs],
      ]),
    ).toEqual(['wait-for-hang', 'none', 'wait-for-hang']);
  });

  it('a failed load (core still starting) retries without spending the crash budget', () => {
    const fail: RendererTrouble = { type: 'load-failed' };
    expect(
      replay([
        [fail, 0],
        [fail, 1],
        [fail, 2],
        [fail, 3],
        [gone, 4],
      ]),
    ).toEqual(['reload-later', 'reload-later', 'reload-later', 'reload-later', 'reload-start-screen']);
  });
});
