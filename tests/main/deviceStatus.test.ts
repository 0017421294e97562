import { describe, expect, it } from 'vitest';
import { deviceStates } from '../../main/deviceStatus.ts';
import { EMPTY_MAPPING } from '../../main/technician/mapping.ts';

const mapping = {
  faceCamera: { deviceId: 'a', label: 'USB Face Cam' },
  documentCamera: { deviceId: 'b', label: 'Doc Cam' },
  microphone: { deviceId: 'c', label: 'USB Mic' },
  readerPort: '/dev/ttyUSB0',
};

describe('device status for the heartbeat', () => {
  it('mapped and present → ok; mapped and gone → missing', () => {
    expect(deviceStates(mapping, ['USB Face Cam'], ['USB Mic'], true)).toEqual({ faceCamera: 'ok', documentCamera: 'missing', microphone: 'ok', idReader: 'ok' });
    expect(deviceStates(mapping, [], [], false)).toEqual({ faceCamera: 'missing', documentCamera: 'missing', microphone: 'missing', idReader: 'missing' });
  });
  it('not mapped yet → unknown when devices exist, missing when none', () => {
    expect(deviceStates(EMPTY_MAPPING, ['X'], [], null)).toEqual({ faceCamera: 'unknown', documentCamera: 'unknown', microphone: 'missing', idReader: 'unknown' });
  });
});

describe('device labels as Chromium writes them', () => {
  it('a mapped "HD Webcam (046d:0825)" is the sysfs camera "HD Webcam"', () => {
    const m = { ...EMPTY_MAPPING, faceCamera: { deviceId: 'a', label: 'HD Webcam (046d:0825)' } };
    expect(deviceStates(m, ['HD Webcam'], [], null).faceCamera).toBe('ok');
  });
});
