import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diskSpace, listCameras, listMicrophones } from '../../../main/doctor/systemProbes.ts';
import { cameraCheck, type DoctorProbes } from '../../../main/doctor/checks.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'probe-'));
  dirs.push(root);
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), content);
  }
  return root;
}

describe('system probes on a fake /sys and /proc', () => {
  it('lists V4L2 capture nodes, not their metadata nodes', async () => {
    const sys = tree({
      'class/video4linux/video0/name': 'HD Webcam C270\n',
      'class/video4linux/video0/index': '0\n',
      'class/video4linux/video1/name': 'HD Webcam C270\n',
      'class/video4linux/video1/index': '1\n',
      'class/video4linux/video2/name': 'Document Camera\n',
      'class/video4linux/video2/index': '0\n',
    });
    expect(await listCameras(sys)).toEqual([{ label: 'HD Webcam C270' }, { label: 'Document Camera' }]);
    expect(await listCameras(path.join(sys, 'nowhere'))).toEqual([]);
  });

  it('lists ALSA devices that can capture', async () => {
    const proc = tree({
      'asound/pcm':
        '00-00: ALC892 Analog : ALC892 Analog : playback 1 : capture 1\n00-01: ALC892 Digital : ALC892 Digital : playback 1\n01-00: USB Audio : USB Audio : capture 1\n',
    });
    expect(await listMicrophones(proc)).toEqual([{ label: 'ALC892 Analog' }, { label: 'USB Audio' }]);
  });

  it('reads free disk space of the data directory', async () => {
    const d = await diskSpace(tmpdir());
    expect(d.totalBytes).toBeGreaterThan(0);
    expect(d.freeBytes).toBeLessThanOrEqual(d.totalBytes);
  });

  it('matches a Chromium camera label to its sysfs name', async () => {
    const p = {
      cameras: async () => [{ label: 'HD Webcam C270' }, { label: 'Document Camera' }],
      mapping: async () => ({
        faceCamera: 'HD Webcam C270 (046d:0825)',
        documentCamera: 'Document Camera (1bcf:2c99)',
        microphone: null,
        readerPort: null,
      }),
    } as unknown as DoctorProbes;
    expect((await cameraCheck.run(p)).status).toBe('ok');
  });
});
