// The split-pipe scheme of native-USB SAM_V readers (IDCARD-PROTOCOL.md §4.3), pure: a command
// goes out as preamble + LEN on one pipe and the rest on another; an answer comes back the same way
// on two IN pipes, whose transfers the host sees complete in no guaranteed order relative to each
// other. The joiner puts each answer back together (header, then LEN body bytes) so the session's
// FrameParser sees the same byte stream a serial reader sends.
import { DEFAULT_MAX_FRAME_BYTES, HEADER_BYTES, PREAMBLE } from '../frame.ts';

/** A whole SAM frame → [preamble + LEN, CMD PARA DATA CHK]. */
export function splitForPipes(frame: Uint8Array): [Uint8Array, Uint8Array] {
  if (frame.length <= HEADER_BYTES)
    throw new RangeError(`a SAM frame is longer than its ${HEADER_BYTES}-byte header, got ${frame.length} bytes`);
  return [frame.slice(0, HEADER_BYTES), frame.slice(HEADER_BYTES)];
}

export interface JoinerCounters {
  frames: number;
  /** Header-pipe bytes that did not start a frame (resynchronised past). */
  droppedHeaderBytes: number;
  /** Body-pipe bytes dropped: beyond the cap, or left over from an answer abandoned by reset(). */
  droppedBodyBytes: number;
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

export class SplitPipeJoiner {
  readonly counters: JoinerCounters = { frames: 0, droppedHeaderBytes: 0, droppedBodyBytes: 0 };
  private header = new Uint8Array(0);
  private body = new Uint8Array(0);
  private readonly maxFrame: number;

  constructor(maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.maxFrame = maxFrameBytes;
  }

  /** Bytes from the header IN pipe → whole frames now complete (header + body), in order. */
  pushHeader(bytes: Uint8Array): Uint8Array[] {
    this.header = concat(this.header, bytes);
    return this.drain();
  }

  /** Bytes from the body IN pipe → whole frames now complete. */
  pushBody(bytes: Uint8Array): Uint8Array[] {
    this.body = concat(this.body, bytes);
    // A body with no header for it never completes: keep at most one frame's worth.
    const excess = this.body.length - this.maxFrame;
    if (excess > 0) {
      this.body = this.body.slice(excess);
      this.counters.droppedBodyBytes += excess;
    }
    return this.drain();
  }

  /**
   * Forgets a half answer. Called before each command: the reader answers one command at a time,
   * so whatever is left over belongs to an answer the session already gave up on, and gluing it to
   * the next header would shift every later frame.
   */
  reset(): void {
    this.counters.droppedHeaderBytes += this.header.length;
    this.counters.droppedBodyBytes += this.body.length;
    this.header = new Uint8Array(0);
    this.body = new Uint8Array(0);
  }

  private drain(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (;;) {
      this.resync();
      if (this.header.length < HEADER_BYTES) return out;
      const len = (this.header[5]! << 8) | this.header[6]!;
      if (len < 2 || HEADER_BYTES + len > this.maxFrame) {
        // Not a real header: skip its first byte and look for the next preamble.
        this.header = this.header.slice(1);
        this.counters.droppedHeaderBytes++;
        continue;
      }
      if (this.body.length < len) return out;
      const frame = new Uint8Array(HEADER_BYTES + len);
      frame.set(this.header.subarray(0, HEADER_BYTES));
      frame.set(this.body.subarray(0, len), HEADER_BYTES);
      this.header = this.header.slice(HEADER_BYTES);
      this.body = this.body.slice(len);
      this.counters.frames++;
      out.push(frame);
    }
  }

  /** Drops header-pipe bytes before the next preamble (or before a tail that may still become one). */
  private resync(): void {
    const h = this.header;
    let at = 0;
    while (at < h.length) {
      const n = Math.min(PREAMBLE.length, h.length - at);
      let match = true;
      for (let i = 0; i < n && match; i++) match = h[at + i] === PREAMBLE[i];
      if (match) break;
      at++;
    }
    if (at > 0) {
      this.counters.droppedHeaderBytes += at;
      this.header = h.slice(at);
    }
  }
}
