// The few ffmpeg jobs the product needs. Each writes to a temporary name and renames, so a
// half-written output never looks finished.
import { rename, rm } from 'node:fs/promises';
import { runTool } from './run.ts';

async function toFinal(out: string, job: (tmp: string) => Promise<void>): Promise<void> {
  const dot = out.lastIndexOf('.');
  const tmp = `${out.slice(0, dot)}.partial${out.slice(dot)}`;
  try {
    await job(tmp);
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** MediaRecorder webm carries no duration or cues; a stream copy writes both (0.1 s per minute). */
export function remux(input: string, output: string): Promise<void> {
  return toFinal(output, (tmp) =>
    runTool('ffmpeg', ['-v', 'error', '-y', '-i', input, '-map', '0', '-c', 'copy', tmp], { timeoutMs: 120_000 }).then(() => undefined),
  );
}

/** A JPEG still from about one second in (or the first frame of a shorter clip). */
export function posterFrame(input: string, output: string, atSec = 1): Promise<void> {
  return toFinal(output, async (tmp) => {
    try {
      await runTool('ffmpeg', ['-v', 'error', '-y', '-ss', String(atSec), '-i', input, '-frames:v', '1', '-q:v', '4', tmp]);
    } catch {
      await runTool('ffmpeg', ['-v', 'error', '-y', '-i', input, '-frames:v', '1', '-q:v', '4', tmp]);
    }
  });
}
