// `npm run intake`'s entry point (intake/start.ts) as a child process: a second, separate intake
// process on a shared store, and what the entry point makes of its environment. Run with
// `node --import tsx` (not the tsx CLI, whose grandchild a signal to the CLI would not reach).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../intake/start.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface IntakeProcess {
  /** e.g. http://127.0.0.1:39211 */
  url: string;
  /** The intake's own process id (its CPU time and memory in /proc; the bench reads them). */
  pid: number;
  /** Everything printed on stdout so far. */
  stdout(): string;
  /** Everything printed on stderr so far (the log, at the LOG_LEVEL the test passed). */
  stderr(): string;
  stop(): Promise<void>;
  /** SIGKILL: no shutdown at all, as a crash or a power cut. */
  kill(): Promise<void>;
}

function launch(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
} {
  // The parent's INTAKE_* variables must not leak into a test's intake.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INTAKE_')));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'silent', INTAKE_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** Starts an intake process and resolves once it listens (INTAKE_PORT 0: a free port); `nodeArgs`
 *  go to node before the entry point (the bench's `--cpu-prof`). */
export async function startIntakeProcess(env: Record<string, string>, timeoutMs = 30_000, nodeArgs: string[] = []): Promise<IntakeProcess> {
  const p = launch(env, nodeArgs);
  const until = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!url) {
    url = /^intake: (http\S+)\/api\/v1$/m.exec(p.out())?.[1];
    if (url) break;
    if (p.child.exitCode !== null || Date.now() > until) {
      p.child.kill('SIGKILL');
      throw new Error(`intake process did not start (exit ${p.child.exitCode}): ${p.err().slice(0, 2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: p.child.pid!,
    stdout: p.out,
    stderr: p.err,
    async stop() {
      if (p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        const killed = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
        await p.exited;
        clearTimeout(killed);
      }
    },
    async kill() {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    },
  };
}

/** Runs the entry point expecting it to stop by itself (a refused configuration). */
export async function runIntakeProcessToExit(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = launch(env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.out(), stderr: p.err() };
}
