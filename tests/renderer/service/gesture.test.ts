import { describe, expect, it } from 'vitest';
import { feedTap, type Tap } from '../../../renderer/service/gesture.ts';

const W = 1280;
const corner = (t: number): Tap => ({ x: W - 20, y: 20, t });

function play(taps: Tap[]): boolean[] {
  let mem: Tap[] = [];
  return taps.map((tap) => {
    const r = feedTap(mem, tap, W);
    mem = r.taps;
    return r.open;
  });
}

describe('hidden service gesture', () => {
  it('opens on five corner taps within three seconds', () => {
    expect(play([0, 400, 800, 1200, 1600].map(corner))).toEqual([false, false, false, false, true]);
  });
  it('does not open when the taps are too slow', () => {
    expect(play([0, 1000, 2000, 3000, 4000].map(corner)).at(-1)).toBe(false);
  });
  it('a tap anywhere else starts over', () => {
    expect(play([corner(0), corner(100), corner(200), { x: 600, y: 400, t: 300 }, corner(400), corner(500)]).some(Boolean)).toBe(false);
  });
  it('a slow start still counts the last five quick taps', () => {
    expect(play([0, 5000, 5200, 5400, 5600, 5800].map(corner)).at(-1)).toBe(true);
  });
});
