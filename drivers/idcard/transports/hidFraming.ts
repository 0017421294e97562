// The plug-in point for a vendor's framing inside HID reports, on its own so the framings
// (hidDkFraming.ts) and the registry (hidReports.ts) both depend on it and not on each other.
/**
 * Vendor framing inside the HID payload. The default ('raw') carries SAM frames as they are; a vendor
 * whose firmware tunnels SAM frames in its own commands (e.g. 德科's `0x34` SAM pass-through) supplies
 * one of these, registered under a name and chosen by configuration.
 */
export interface HidVendorFraming {
  readonly name: string;
  /** A SAM frame → the message to chunk into reports. */
  wrap(samFrame: Uint8Array): Uint8Array;
  /** One report's payload → the SAM bytes in it (may be empty), and whether the device expects an ACK. */
  unwrap(payload: Uint8Array): { sam: Uint8Array; ack: boolean };
  /** Forget partial state (after a timeout or reconnect). */
  reset?(): void;
}
