// The parts of booth doctor's probes that read the machine itself (no booth state): cameras from
// sysfs, microphones from ALSA's /proc files and disk space (the back office is asked over the
// booth's one link, uploader/intakeLink.ts). Paths are parameters so tests point them at a fake tree.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { DeviceInfo } from './checks.ts';

/** V4L2 capture devices: /sys/class/video4linux/videoN/name, keeping index 0 (metadata nodes are index 1). */
export async function listCameras(sysRoot = '/sys'): Promise<DeviceInfo[]> {
  const dir = path.join(sysRoot, 'class', 'video4linux');
  let entries: string[];
  try {
    entries = (await fsp.readdir(dir)).filter((e) => /^video\d+$/.test(e)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  } catch {
    return [];
  }
  const out: DeviceInfo[] = [];
  for (const e of entries) {
    const read = (f: string) =>
      fsp.readFile(path.join(dir, e, f), 'utf8').then(
        (s) => s.trim(),
        () => null,
      );
    const [name, index] = await Promise.all([read('name'), read('index')]);
    if (name && (index === null || index === '0')) out.push({ label: name });
  }
  return out;
}

/** ALSA capture devices from /proc/asound/pcm ("00-00: ALC892 Analog : ALC892 Analog : playback 1 : capture 1"). */
export async function listMicrophones(procRoot = '/proc'): Promise<DeviceInfo[]> {
  let pcm: string;
  try {
    pcm = await fsp.readFile(path.join(procRoot, 'asound', 'pcm'), 'utf8');
  } catch {
    return [];
  }
  return pcm
    .split('\n')
    .filter((l) => /capture\s+\d+/.test(l))
    .map((l) => ({ label: (l.split(':')[1] ?? l).trim() }));
}

export async function diskSpace(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
  const s = await fsp.statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}
