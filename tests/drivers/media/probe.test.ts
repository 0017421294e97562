import { describe, expect, it } from 'vitest';
import { parseProbe } from '../../../drivers/media/probe.ts';

describe('parseProbe', () => {
  it('MediaRecorder webm: streams but no duration', () => {
    const p = parseProbe(
      JSON.stringify({
        format: { format_name: 'matroska,webm' },
        streams: [
          { codec_type: 'video', codec_name: 'vp8', width: 640, height: 480 },
          { codec_type: 'audio', codec_name: 'opus', sample_rate: '48000' },
        ],
      }),
    );
    expect(p).toEqual({
      formatName: 'matroska,webm',
      durationSec: null,
      video: { codec: 'vp8', width: 640, height: 480 },
      audio: { codec: 'opus', sampleRate: 48000 },
    });
  });
  it('remuxed file: duration from the format', () => {
    const p = parseProbe(
      JSON.stringify({
        format: { format_name: 'matroska,webm', duration: '3.021000' },
        streams: [{ codec_type: 'audio', codec_name: 'opus' }],
      }),
    );
    expect(p.durationSec).toBeCloseTo(3.021);
    expect(p.video).toBeNull();
  });
  it('no streams at all', () => {
    expect(parseProbe('{"format":{"format_name":"jpeg_pipe"}}')).toMatchObject({ video: null, audio: null, durationSec: null });
  });
  it('garbage JSON throws', () => expect(() => parseProbe('nope')).toThrow());
});
