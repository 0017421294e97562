// 德科 (DK26ME / DK200ZK family, USB 0483:572B) vendor framing inside the HID payload, pure
// (IDCARD-PROTOCOL.md §4.4). The reader's own SAM is reached through DK command 0x34
// (PAL_SAM_V_LOCAL_COM), which carries one raw SAM frame each way:
//   host → reader  start frame   [n] [0x34] [data…]            n = number of follow frames (0…63)
//                  follow frame  [0xC0 | seq] [data…]           seq = 1…n
//   reader → host  start frame   [n] [0x34] [0x90 0x00] [data…] (status 90 00 = command ran)
//                  follow frame  [0xC0 | seq] [data…]
// Every DK frame is at most 63 bytes, so each fills one HID report payload: a start frame holds 61
// data bytes from the host (59 from the reader, after the status), a follow frame 62. The note
// gives the frame shapes; what it leaves open (n counts the follow frames, seq starts at 1, the host
// does not ACK the reader's follow frames) is taken from the DK source it cites
// (ComByteManager.java data_framing_full / rcvData, DeviceManager's commented-out sendAck).
// Not yet verified against a device: docs/IDCARD.md says what to check on the first one.
import type { HidVendorFraming } from './hidFraming.ts';

export const DK_SAM_COMMAND = 0x34;
const MAX_FRAME = 63;
const MAX_FOLLOW = 63;
const START_DATA = MAX_FRAME - 2;
const FOLLOW_DATA = MAX_FRAME - 1;
const FOLLOW = 0xc0;

/** DK message of one command → its frames concatenated (each but the last exactly 63 bytes). */
export function dkFrames(command: number, data: Uint8Array): Uint8Array {
  const follow = data.length <= START_DATA ? 0 : Math.ceil((data.length - START_DATA) / FOLLOW_DATA);
  if (follow > MAX_FOLLOW) throw new RangeError(`DK message too long: ${data.length} bytes`);
  const out = new Uint8Array(2 + data.length + follow);
  out[0] = follow;
  out[1] = command;
  out.set(data.subarray(0, START_DATA), 2);
  let at = 2 + Math.min(data.length, START_DATA);
  for (let seq = 1, from = START_DATA; seq <= follow; seq++, from += FOLLOW_DATA) {
    const part = data.subarray(from, from + FOLLOW_DATA);
    out[at++] = FOLLOW | seq;
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface DkFramingCounters {
  /** Whole 0x34 answers passed on as SAM bytes. */
  messages: number;
  /** Whole answers dropped: another DK command (e.g. a button press), or a status other than 90 00. */
  rejected: number;
  /** Follow frames out of order or without a start frame; the partial message is dropped. */
  sequenceErrors: number;
}

export interface DkFraming extends HidVendorFraming {
  readonly counters: DkFramingCounters;
}

/** The 0x34 SAM pass-through framing. Keeps the partial answer between reports, so one per reader. */
export function createDkSamFraming(name = 'dk-sam'): DkFraming {
  const counters: DkFramingCounters = { messages: 0, rejected: 0, sequenceErrors: 0 };
  let partial: { follow: number; seq: number; command: number; ok: boolean; parts: Uint8Array[] } | null = null;
  const none = { sam: new Uint8Array(0), ack: false };

  const complete = (p: NonNullable<typeof partial>) => {
    partial = null;
    if (p.command !== DK_SAM_COMMAND || !p.ok) {
      counters.rejected++;
      return none;
    }
    counters.messages++;
    return { sam: Uint8Array.from(Buffer.concat(p.parts)), ack: false };
  };

  return {
    name,
    counters,
    wrap: (samFrame) => dkFrames(DK_SAM_COMMAND, samFrame),
    unwrap(payload) {
      const head = payload[0];
      if (head === undefined) return none;
      if ((head & 0xc0) === 0) {
        if (partial) counters.sequenceErrors++;
        if (payload.length < 4) {
          partial = null;
          counters.rejected++;
          return none;
        }
        const p = {
          follow: head & 0x3f,
          seq: 0,
          command: payload[1]!,
          ok: payload[2] === 0x90 && payload[3] === 0x00,
          parts: [payload.slice(4)],
        };
        if (p.follow === 0) return complete(p);
        partial = p;
        return none;
      }
      if ((head & 0xc0) === FOLLOW && partial && (head & 0x3f) === partial.seq + 1) {
        partial.seq++;
        partial.parts.push(payload.slice(1));
        return partial.seq === partial.follow ? complete(partial) : none;
      }
      // A follow frame out of order (or an unknown header): the rest of this answer cannot be trusted.
      counters.sequenceErrors++;
      partial = null;
      return none;
    },
    reset() {
      partial = null;
    },
  };
}
