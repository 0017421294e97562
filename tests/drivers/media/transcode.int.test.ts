// The staff playback renditions with real ffmpeg: H.264/AAC MP4 for video, AAC for audio.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { posterFrame, probe, transcodeForPlayback } from '../../../drivers/media/index.ts';
import { sampleWebm } from '../../support/fakeMedia.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'transcode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('playback renditions', () => {
  it('video webm (VP8/Opus) → MP4 H.264/AAC with a duration, plus a poster', async () => {
    const out = path.join(dir, 'v.mp4');
    await transcodeForPlayback('video', sampleWebm(2), out);
    const p = await probe(out);
    expect(p.video?.codec).toBe('h264');
    expect(p.audio?.codec).toBe('aac');
    expect(p.durationSec).toBeGreaterThan(1.5);
    await posterFrame(out, path.join(dir, 'v.jpg'));
    expect((await probe(path.join(dir, 'v.jpg'))).video?.codec).toBe('mjpeg');
  });

  it('audio → AAC .m4a', async () => {
    const out = path.join(dir, 'a.m4a');
    await transcodeForPlayback('audio', sampleWebm(2), out);
    const p = await probe(out);
    expect(p.video).toBeNull();
    expect(p.audio?.codec).toBe('aac');
  });
});
