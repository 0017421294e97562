// Line timing of a UART at 8N1 (IDCARD-PROTOCOL.md §4.1, §4.2): 10 bits a byte (start, 8 data, stop).
// Pure; the simulator uses it to pace its answers as a real reader's line would, because a pty
// delivers bytes as fast as the OS moves them and ignores the baud rate.

export const BITS_PER_BYTE_8N1 = 10;
/** The readers' default line rate. */
export const READER_BAUD = 115200;

/** How long `bytes` bytes take on the line, in ms. */
export function wireTimeMs(bytes: number, baud: number = READER_BAUD): number {
  if (!(baud > 0)) throw new RangeError(`baud rate must be positive, got ${baud}`);
  return (bytes * BITS_PER_BYTE_8N1 * 1000) / baud;
}

/** How many whole bytes have left the line `elapsedMs` after the first start bit. */
export function bytesOnWireBy(elapsedMs: number, baud: number = READER_BAUD): number {
  if (!(baud > 0)) throw new RangeError(`baud rate must be positive, got ${baud}`);
  if (elapsedMs <= 0) return 0;
  // The epsilon keeps a byte whose stop bit ends exactly at elapsedMs from being lost to rounding.
  return Math.floor((elapsedMs * baud) / (BITS_PER_BYTE_8N1 * 1000) + 1e-9);
}

/** A baud rate from user input (CLI, control line): a positive integer, or a clear error. */
export function parseBaud(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`"${text}" is not a baud rate (e.g. 115200)`);
  return n;
}
