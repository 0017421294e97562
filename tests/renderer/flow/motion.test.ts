// The attract cue's pure part (renderer/flow/motion.ts): grey conversion, frame difference and when
// the detector says "someone stepped in". The camera side is tested in Chromium
// (tests/e2e/attract.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import { frameDifference, MOTION, MotionDetector, toGrey } from '../../../renderer/flow/motion.ts';

const N = MOTION.width * MOTION.height;
const flat = (v: number) => new Uint8Array(N).fill(v);
/** A grey room with a bright block `w` pixels wide starting at column x (a person, shrunk to 64×48). */
function block(x: number, w = 20, room = 100, person = 230): Uint8Array {
  const f = flat(room);
  for (let row = 6; row < 42; row++) for (let col = x; col < Math.min(x + w, MOTION.width); col++) f[row * MOTION.width + col] = person;
  return f;
}
/** Camera noise: ±2 grey levels, deterministic. */
function noisy(f: Uint8Array, seed: number): Uint8Array {
  return f.map((v, i) => Math.max(0, Math.min(255, v + (((i * 7919 + seed * 104729) % 5) - 2))));
}

describe('toGrey', () => {
  it.each([
    [[0, 0, 0, 255], 0],
    [[255, 255, 255, 255], 255],
    [[255, 0, 0, 255], 76],
    [[0, 255, 0, 255], 149],
    [[0, 0, 255, 255], 29],
  ])('RGBA %j → %i', (rgba, grey) => {
    expect([...toGrey(new Uint8ClampedArray(rgba))]).toEqual([grey]);
  });
});

describe('frameDifference', () => {
  it.each([
    ['identical frames', flat(100), flat(100), 0],
    ['black to white', flat(0), flat(255), 255],
    ['a uniform brightening by 10', flat(100), flat(110), 10],
    ['sizes differ (a camera switching mode): no movement', flat(100), new Uint8Array(10), 0],
    ['empty frames', new Uint8Array(0), new Uint8Array(0), 0],
  ])('%s', (_name, a, b, want) => {
    expect(frameDifference(a, b)).toBeCloseTo(want, 5);
  });
});

describe('MotionDetector', () => {
  const run = (frames: Uint8Array[]) => {
    const d = new MotionDetector();
    return frames.map((f) => d.push(f));
  };
  it.each([
    ['an empty hut with camera noise never fires', Array.from({ length: 40 }, (_, i) => noisy(flat(100), i)), -1],
    ['a light switched on once (one jump, then still) does not fire', [flat(60), flat(60), flat(140), flat(140), flat(140)], -1],
    [
      'someone walking in fires once, on the second moving frame',
      [flat(100), flat(100), block(0), block(10), block(20), block(30), block(40)],
      3,
    ],
    [
      'a person standing still after walking in: fired once only',
      [flat(100), block(0), block(10), block(10), block(10), block(20), block(30)],
      2,
    ],
  ])('%s', (_name, frames, firesAt) => {
    const fired = run(frames);
    expect(fired.indexOf(true)).toBe(firesAt);
    expect(fired.filter(Boolean).length).toBe(firesAt === -1 ? 0 : 1);
  });
  it('the threshold sits well above noise and well below a person', () => {
    expect(frameDifference(noisy(flat(100), 1), noisy(flat(100), 2))).toBeLessThan(MOTION.threshold / 3);
    expect(frameDifference(block(0), block(10))).toBeGreaterThan(MOTION.threshold * 2);
  });
});
