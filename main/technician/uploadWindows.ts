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
