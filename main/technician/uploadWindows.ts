// The back office's upload windows (BoothSettings.uploadWindows: "only upload between these hours")
// applied to the uploader's throttle (uploader/throttle.ts). Pure. Inside a window the booth's own
// rate applies; outside every window uploading pauses. No windows = the local throttle unchanged.
import type { ThrottleConfig } from '../../uploader/throttle.ts';

export function throttleForUploadWindows(local: ThrottleConfig, uploadWindows: readonly { start: string; end: string }[]): ThrottleConfig {
  if (uploadWindows.length === 0) return local;
  return {
    utcOffsetMinutes: local.utcOffsetMinutes,
    windows: uploadWindows.map((w) => ({ from: w.start, to: w.end, bytesPerSecond: local.bytesPerSecond })),
    bytesPerSecond: 0,
  };
}

/** Minutes east of UTC of an IANA time zone at `at` (for the throttle's daily windows). */
export function utcOffsetMinutes(timeZone: string, at = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}
