// ffprobe → a small typed summary. Parsing is pure (parseProbe) so it is tested on fixtures.
import { z } from 'zod';
import { runTool } from './run.ts';

const ProbeJson = z.object({
  format: z.object({ format_name: z.string(), duration: z.string().optional(), size: z.string().optional() }).optional(),
  streams: z
    .array(
      z.object({
        codec_type: z.string(),
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        duration: z.string().optional(),
        sample_rate: z.string().optional(),
      }),
    )
    .default([]),
});

export interface MediaProbe {
  formatName: string;
  /** Seconds, or null when the container does not say (MediaRecorder webm before a remux). */
  durationSec: number | null;
  video: { codec: string; width: number; height: number } | null;
  audio: { codec: string; sampleRate: number | null } | null;
}

export function parseProbe(json: string): MediaProbe {
  const parsed = ProbeJson.parse(JSON.parse(json));
  const v = parsed.streams.find((s) => s.codec_type === 'video');
  const a = parsed.streams.find((s) => s.codec_type === 'audio');
  const duration = Number(parsed.format?.duration ?? v?.duration ?? a?.duration);
  return {
    formatName: parsed.format?.format_name ?? 'unknown',
    durationSec: Number.isFinite(duration) ? duration : null,
    video: v ? { codec: v.codec_name ?? 'unknown', width: v.width ?? 0, height: v.height ?? 0 } : null,
    audio: a ? { codec: a.codec_name ?? 'unknown', sampleRate: a.sample_rate ? Number(a.sample_rate) : null } : null,
  };
}

/** `nice`: run under `nice -n N` (the intake's playback worker, which must yield to ingest). */
export async function probe(file: string, nice?: number): Promise<MediaProbe> {
  const out = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
    timeoutMs: 20_000,
    ...(nice ? { nice } : {}),
  });
  return parseProbe(out);
}
