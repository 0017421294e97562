import { describe, expect, it } from 'vitest';
import type { DeviceState } from '../../contract/booth.ts';
import { deviceStates, readerFromSession, type LiveReader } from '../../main/deviceStatus.ts';
import { EMPTY_MAPPING } from '../../main/technician/mapping.ts';

const mapping = {
  faceCamera: { deviceId: 'a', label: 'USB Face Cam' },
  documentCamera: { deviceId: 'b', label: 'Doc Cam' },
  microphone: { deviceId: 'c', label: 'USB Mic' },
  readerPort: '/dev/ttyUSB0',
};

describe('device status for the heartbeat', () => {
  it('mapped and present → ok; mapped and gone → missing', () => {
    expect(deviceStates(mapping, ['USB Face Cam'], ['USB Mic'], true)).toEqual({
      faceCamera: 'ok',
      documentCamera: 'missing',
      microphone: 'ok',
      idReader: 'ok',
    });
    expect(deviceStates(mapping, [], [], false)).toEqual({
      faceCamera: 'missing',
      documentCamera: 'missing',
      microphone: 'missing',
      idReader: 'missing',
    });
  });
  it('not mapped yet → unknown when devices exist, missing when none', () => {
    expect(deviceStates(EMPTY_MAPPING, ['X'], [], null)).toEqual({
      faceCamera: 'unknown',
      documentCamera: 'unknown',
      microphone: 'missing',
      idReader: 'unknown',
    });
  });
});

describe('the ID reader, from the live reader session', () => {
  it.each<[string, LiveReader | null, string | null, DeviceState | null]>([
    ['a reader that answered its SAM status', { state: 'ready', simulated: false }, 'usb:0400:c35a', 'ok'],
    ['a SAM fault', { state: 'sam-fault', simulated: false }, 'hid:0483:572b', 'error'],
    ['its port gone (unplugged)', { state: 'disconnected', simulated: false }, '/dev/ttyUSB0', 'missing'],
    ['still connecting: ask the OS instead', { state: 'connecting', simulated: false }, '/dev/ttyUSB0', null],
    ['the simulator stands in for a mapped reader: that reader is missing', { state: 'ready', simulated: true }, '/dev/ttyUSB0', 'missing'],
    ['the simulator, nothing mapped (development)', { state: 'ready', simulated: true }, null, 'unknown'],
    ['no session at all', null, '/dev/ttyUSB0', null],
    ['the core has no reader', { state: 'absent', simulated: false }, null, null],
  ])('%s → %s', (_n, live, port, expected) => {
    expect(readerFromSession(live, port)).toBe(expected);
  });
});

describe('device labels as Chromium writes them', () => {
  it('a mapped "HD Webcam (046d:0825)" is the sysfs camera "HD Webcam"', () => {
    const m = { ...EMPTY_MAPPING, faceCamera: { deviceId: 'a', label: 'HD Webcam (046d:0825)' } };
    expect(deviceStates(m, ['HD Webcam'], [], null).faceCamera).toBe('ok');
  });
});
