// USB-HID report framing (IDCARD-PROTOCOL.md §4.4), pure: 64-byte reports whose byte 0 is the
// payload length (1…63), payload in bytes 1…63, zero padding; byte 0 = 0xFF is an ACK asking for the
// next chunk. Inside the payload a vendor may wrap the SAM frame in its own framing: that is the
// HidVendorFraming plug-in point.
import { createDkSamFraming } from './hidDkFraming.ts';
import type { HidVendorFraming } from './hidFraming.ts';

export const REPORT_BYTES = 64;
export const MAX_PAYLOAD = REPORT_BYTES - 1;
export const ACK = 0xff;

/** A message → 64-byte reports, each length-prefixed and zero-padded. */
export function toReports(message: Uint8Array): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let off = 0; off < message.length; off += MAX_PAYLOAD) {
    const part = message.subarray(off, off + MAX_PAYLOAD);
    const r = new Uint8Array(REPORT_BYTES);
    r[0] = part.length;
    r.set(part, 1);
    reports.push(r);
  }
  return reports;
}

export function ackReport(): Uint8Array {
  const r = new Uint8Array(REPORT_BYTES);
  r[0] = ACK;
  return r;
}

export type IncomingReport = { kind: 'ack' } | { kind: 'payload'; bytes: Uint8Array } | { kind: 'ignored' };

/** One received report. Some stacks prepend the report id (0x00): pass `hasReportId` then. */
export function readReport(report: Uint8Array, hasReportId = false): IncomingReport {
  const r = hasReportId ? report.subarray(1) : report;
  const n = r[0];
  if (n === undefined || n === 0) return { kind: 'ignored' };
  if (n > MAX_PAYLOAD) return n === ACK ? { kind: 'ack' } : { kind: 'ignored' };
  return { kind: 'payload', bytes: r.slice(1, 1 + Math.min(n, r.length - 1)) };
}

export type { HidVendorFraming } from './hidFraming.ts';

export const rawFraming: HidVendorFraming = {
  name: 'raw',
  wrap: (f) => f,
  unwrap: (p) => ({ sam: p, ack: false }),
};

const dkSamFraming = createDkSamFraming();
const framings = new Map<string, HidVendorFraming>([
  [rawFraming.name, rawFraming],
  [dkSamFraming.name, dkSamFraming],
]);

export function registerHidFraming(framing: HidVendorFraming): void {
  framings.set(framing.name, framing);
}

export function hidFraming(name: string): HidVendorFraming | undefined {
  return framings.get(name);
}

/**
 * USB-HID readers we recognise (IDCARD-PROTOCOL.md §4.4): vendor id, product id, framing. The 德科
 * readers tunnel SAM frames in their DK command 0x34 (hidDkFraming.ts), never raw.
 */
export const KNOWN_HID_READERS: ReadonlyArray<{ vendorId: number; productId: number; label: string; framing: string }> = [
  { vendorId: 0x0483, productId: 0x572b, label: '德科 DK26ME / DK200ZK family', framing: 'dk-sam' },
];
