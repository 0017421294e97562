// Starts tests/support/crashBooth.ts (the real booth core in a child process) for the tests that
// SIGKILL it: the crash test and the recordings-at-rest test. Lines the child prints go to `onLine`.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const CHILD = path.resolve('tests/support/crashBooth.ts');

export function runCrashBooth(
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): { child: ChildProcess; exited: Promise<void> } {
  // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild that a SIGKILL of
  // the CLI would not reach, and two booth cores would then share one data directory.
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
  child.stderr!.on('data', (c: Buffer) => process.env.CRASH_DEBUG && process.stderr.write(c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}
