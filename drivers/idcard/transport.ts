// The seam between the protocol and the hardware (STYLE.md habit 6): serial, USB-HID and the
// in-memory mock all carry the same SAM frames as plain bytes.

export interface Transport {
  /** e.g. "serial:/dev/ttyUSB0", "hid:0483:572b", "mock". Never personal data. */
  readonly description: string;
  write(bytes: Uint8Array): Promise<void>;
  /** Raw bytes from the reader, in whatever chunks the OS delivers. Returns an unsubscribe. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** The device went away (unplugged, port closed underneath us) or was closed. */
  onClose(listener: (error?: Error) => void): () => void;
  close(): Promise<void>;
}

/** Opens a fresh transport; called again on every reconnect. Rejects while the device is absent. */
export type TransportFactory = () => Promise<Transport>;

/** Small helper shared by the transports: listener lists with unsubscribe. */
export class Listeners<A extends unknown[]> {
  private list: Array<(...args: A) => void> = [];
  add(fn: (...args: A) => void): () => void {
    this.list.push(fn);
    return () => {
      this.list = this.list.filter((l) => l !== fn);
    };
  }
  emit(...args: A): void {
    for (const l of [...this.list]) l(...args);
  }
}

/** Writes one frame at a time in call order (reports or packets of two frames must not interleave);
 *  a failed write rejects its caller and does not stop the next one. */
export function oneAtATime(send: (bytes: Uint8Array) => Promise<void>): (bytes: Uint8Array) => Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  return (bytes) => {
    const next = writing.then(() => send(bytes));
    writing = next.catch(() => undefined);
    return next;
  };
}

/** The reader's device is not on this machine (unplugged, or another port name). */
export class DeviceAbsentError extends Error {
  override readonly name = 'DeviceAbsentError';
}
