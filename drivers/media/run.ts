// A thin wrapper around spawning ffmpeg/ffprobe: an argument array (never a shell string),
// a timeout that kills the process, and the tool's own error text in the thrown error.
import { spawn } from 'node:child_process';

export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface RunOptions {
  timeoutMs?: number;
  /** Largest stdout kept, in bytes; ffprobe JSON is small, a runaway tool must not fill memory. */
  maxStdout?: number;
  /** Run under `nice -n N` (background work that must yield the CPU to serving requests). */
  nice?: number;
}

export function runTool(tool: 'ffmpeg' | 'ffprobe', args: string[], options: RunOptions = {}): Promise<string> {
  const { timeoutMs = 60_000, maxStdout = 4 * 1024 * 1024, nice } = options;
  return new Promise((resolve, reject) => {
    const child = nice
      ? spawn('nice', ['-n', String(nice), tool, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < maxStdout) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ToolError(tool, null, '', `${tool} could not start: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new ToolError(tool, code, stderr, `${tool} timed out after ${timeoutMs} ms`));
      else if (code !== 0) reject(new ToolError(tool, code, stderr, `${tool} exited ${code}: ${lastLine(stderr)}`));
      else resolve(stdout);
    });
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
