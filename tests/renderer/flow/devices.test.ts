import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../../../renderer/flow/devices.ts';
import { pickDevices, workingKinds } from '../../../renderer/flow/devices.ts';

describe('workingKinds: the start screen offers only what the devices allow', () => {
  it.each([
    ['both work', { camera: true, microphone: true }, ['photo', 'video', 'audio']],
    ['no microphone: photos only', { camera: true, microphone: false }, ['photo']],
    ['no camera: voice only', { camera: false, microphone: true }, ['audio']],
    ['neither: nothing (the start screen says so, with 12345)', { camera: false, microphone: false }, []],
    ['not looked yet: all', null, ['photo', 'video', 'audio']],
  ] as const)('%s', (_n, h, kinds) => {
    expect(workingKinds(h)).toEqual(kinds);
  });
});

const cam = (deviceId: string, label: string): DeviceInfo => ({ deviceId, kind: 'videoinput', label });
const mic = (deviceId: string, label: string): DeviceInfo => ({ deviceId, kind: 'audioinput', label });
const booth = [
  cam('c1', 'HD Webcam (046d:0825)'),
  cam('c2', 'Document Camera S500 (1bcf:2c9a)'),
  mic('default', 'Default'),
  mic('m2', 'USB Mic'),
];

describe('device mapping', () => {
  it('matches by label piece, case-insensitive', () => {
    const p = pickDevices(booth, {
      faceCamera: { label: 'webcam' },
      documentCamera: { label: 'DOCUMENT' },
      microphone: { label: 'usb mic' },
    });
    expect(p).toEqual({
      faceCamera: { deviceId: 'c1', fallback: false },
      documentCamera: { deviceId: 'c2', fallback: false },
      microphone: { deviceId: 'm2', fallback: false },
    });
  });

  it('matches by id before label', () => {
    const p = pickDevices(booth, { documentCamera: { deviceId: 'c1', label: 'Document' } });
    expect(p.documentCamera).toEqual({ deviceId: 'c1', fallback: false });
    expect(p.faceCamera).toEqual({ deviceId: 'c2', fallback: false });
  });

  it('falls back to the other camera with a warning when the mapped one is gone', () => {
    const p = pickDevices([booth[0]!, booth[2]!], { faceCamera: { label: 'webcam' }, documentCamera: { label: 'Document' } });
    expect(p.faceCamera).toEqual({ deviceId: 'c1', fallback: false });
    expect(p.documentCamera).toEqual({ deviceId: 'c1', fallback: true });
  });

  it('keeps two cameras apart when only one is mapped', () => {
    const p = pickDevices(booth, { faceCamera: { label: 'Document' } });
    expect(p.faceCamera.deviceId).toBe('c2');
    expect(p.documentCamera.deviceId).toBe('c1');
  });

  it('an unmapped booth with one camera uses it for both roles without a warning', () => {
    const p = pickDevices([booth[0]!, booth[2]!], {});
    expect(p.faceCamera).toEqual({ deviceId: 'c1', fallback: false });
    expect(p.documentCamera).toEqual({ deviceId: 'c1', fallback: false });
  });

  it('uses the default microphone and reports no camera at all as null', () => {
    const p = pickDevices([mic('m2', 'USB'), mic('default', 'Default')], {});
    expect(p.microphone).toEqual({ deviceId: 'default', fallback: false });
    expect(p.faceCamera.deviceId).toBeNull();
    expect(p.documentCamera.deviceId).toBeNull();
  });
});
