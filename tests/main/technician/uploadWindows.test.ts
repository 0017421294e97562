import { describe, expect, it } from 'vitest';
import { throttleForUploadWindows, utcOffsetMinutes } from '../../../main/technician/uploadWindows.ts';
import { rateAt, type ThrottleConfig } from '../../../uploader/throttle.ts';

const local: ThrottleConfig = {
  bytesPerSecond: 200_000,
  windows: [{ from: '08:00', to: '18:00', bytesPerSecond: 50_000 }],
  utcOffsetMinutes: 480,
};
const at = (hh: number) => Date.UTC(2026, 10, 24, 16) + hh * 3600_000; // local (UTC+8) hour

describe('back-office upload windows on the uploader throttle', () => {
  it('no windows: the local throttle is unchanged', () => {
    expect(throttleForUploadWindows(local, [])).toBe(local);
  });

  it('uploads at the booth rate inside a window and pauses outside (also across midnight)', () => {
    const t = throttleForUploadWindows(local, [
      { start: '22:00', end: '06:00' },
      { start: '12:00', end: '13:00' },
    ]);
    expect(rateAt(t, at(23))).toBe(200_000);
    expect(rateAt(t, at(2))).toBe(200_000);
    expect(rateAt(t, at(12.5))).toBe(200_000);
    expect(rateAt(t, at(9))).toBe(0);
    expect(rateAt(t, at(20))).toBe(0);
  });
});

describe('the booth time zone as a UTC offset (for the throttle windows)', () => {
  it('reads the offset of a zone at a given moment, also across summer time', () => {
    expect(utcOffsetMinutes('Asia/Shanghai', new Date(Date.UTC(2026, 0, 1)))).toBe(480);
    expect(utcOffsetMinutes('UTC', new Date(Date.UTC(2026, 6, 1)))).toBe(0);
    expect(utcOffsetMinutes('America/New_York', new Date(Date.UTC(2026, 0, 15)))).toBe(-300);
    expect(utcOffsetMinutes('America/New_York', new Date(Date.UTC(2026, 6, 15)))).toBe(-240);
    expect(utcOffsetMinutes('Asia/Kolkata', new Date(Date.UTC(2026, 6, 15)))).toBe(330);
  });
});
