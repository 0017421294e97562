// The reader-port probe shared by the service screen's reader test and booth doctor (when no core
// runs; main/doctor/probes.ts assembles the rest of the doctor's probes).
import { existsSync } from 'node:fs';
import {
  DeviceAbsentError,
  parseReaderPort,
  readerPortInfo,
  readerPortName,
  samStatusAnswer,
  transportFactoryFor,
} from '../../drivers/idcard/index.ts';
import type { ReaderLocation, Transport } from '../../drivers/idcard/index.ts';
import type { ReaderProbe } from '../doctor/checks.ts';

/**
 * Is a reader on `port`, and does it answer? Uses the driver's own transports and SAM-status
 * exchange (one implementation of the protocol): any valid answer means the reader responds;
 * a SAM fault is reported as such. `name` says in plain words what the port is (e.g. the 精伦
 * native-USB reader behind "usb:0400:c35a").
 */
export async function probeReader(port: string, timeoutMs = 1500): Promise<ReaderProbe & { name: string }> {
  const name = readerPortName(readerPortInfo(port));
  let loc: ReaderLocation;
  try {
    loc = parseReaderPort(port);
  } catch (e) {
    return { present: false, responds: false, error: (e as Error).message, name };
  }
  let t: Transport;
  try {
    // A serial path is checked first; HID and native-USB readers are looked up when opened.
    if (loc.kind === 'serial' && !existsSync(port)) return { present: false, responds: false, name };
    t = await transportFactoryFor(loc)();
  } catch (e) {
    if (e instanceof DeviceAbsentError) return { present: false, responds: false, name };
    const message = (e as Error).message;
    return {
      present: true,
      responds: false,
      error: message.includes('Permission') ? 'permission denied (is the booth user in group dialout?)' : message,
      name,
    };
  }
  try {
    const sw3 = await samStatusAnswer(t, timeoutMs);
    if (sw3 === null) return { present: true, responds: false, error: 'no answer', name };
    if (sw3 !== 0x90)
      return { present: true, responds: true, error: `its security module (SAM) reports status 0x${sw3.toString(16)}`, name };
    return { present: true, responds: true, name };
  } finally {
    await t.close();
  }
}
