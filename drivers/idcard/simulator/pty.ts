// The simulator on a real pseudo-terminal pair (socat, TOOLCHAIN.md 3): the driver opens
// `portPath` exactly as it would open /dev/ttyUSB0; the SimulatedReader sits on the other end.
// disconnect() kills socat (the port vanishes, as when a USB reader is unplugged); reconnect() brings
// the same path back.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { createLogger } from '../../../lib/log.ts';
import { SimulatedReader, type SimulatedReaderOptions } from './device.ts';

const log = createLogger('idcard.simulator');

export interface PtySimulatorOptions {
  /** Directory for the two pty links (default: a fresh temp dir). */
  dir?: string;
  reader?: SimulatedReaderOptions;
  /** Reuse an existing device (e.g. one the booth core's service screen drives). */
  device?: SimulatedReader;
}

export interface PtySimulator {
  /** The path the driver opens. */
  readonly portPath: string;
  readonly reader: SimulatedReader;
  readonly connected: boolean;
  disconnect(): Promise<void>;
  reconnect(): Promise<void>;
  stop(): Promise<void>;
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function startPtySimulator(options: PtySimulatorOptions = {}): Promise<PtySimulator> {
  const dir = options.dir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), 'idcard-sim-')));
  const hostLink = path.join(dir, 'idcard-reader');
  const deviceLink = path.join(dir, 'idcard-device');
  const reader = options.device ?? new SimulatedReader(options.reader);
  let socat: ChildProcess | null = null;
  let port: SerialPort | null = null;
  let offOutput: (() => void) | null = null;

  async function up(): Promise<void> {
    await fsp.rm(hostLink, { force: true });
    await fsp.rm(deviceLink, { force: true });
    // socat runs under a tiny shell that holds our stdin pipe: if this process dies, even by SIGKILL
    // (a crashed or killed booth core), the pipe closes and the shell kills socat. No orphaned ptys.
    const child = spawn(
      'sh',
      [
        '-c',
        'socat "$1" "$2" & p=$!; read _; kill $p 2>/dev/null; wait $p',
        'sh',
        `pty,raw,echo=0,link=${hostLink}`,
        `pty,raw,echo=0,link=${deviceLink}`,
      ],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    socat = child;
    let failed: Error | null = null;
    child.once('error', (e) => {
      failed = e;
    });
    await waitFor(() => failed !== null || (fs.existsSync(hostLink) && fs.existsSync(deviceLink)), 5000, 'socat ptys');
    if (failed) throw failed;
    const p = new SerialPort({ path: deviceLink, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => p.open((e) => (e ? rej(e) : res())));
    port = p;
    p.on('data', (chunk: Buffer) => reader.receive(new Uint8Array(chunk)));
    p.on('error', (e) => log.debug({ err: e }, 'simulator port error'));
    offOutput = reader.onOutput((bytes) => {
      if (p.isOpen) p.write(Buffer.from(bytes));
    });
  }

  async function down(): Promise<void> {
    offOutput?.();
    offOutput = null;
    reader.cancelPending();
    const p = port;
    port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
    const child = socat;
    socat = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((res) => child.once('exit', () => res()));
      child.stdin?.end();
      await exited;
    }
    await fsp.rm(hostLink, { force: true });
    await fsp.rm(deviceLink, { force: true });
  }

  await up();
  return {
    portPath: hostLink,
    reader,
    get connected() {
      return port !== null;
    },
    disconnect: down,
    reconnect: async () => {
      if (port === null) await up();
    },
    stop: async () => {
      await down();
      if (!options.dir) await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
