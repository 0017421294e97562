import { describe, expect, it } from 'vitest';
import { deviceStates } from '../../../main/technician/deviceStatus.ts';
import { EMPTY_MAPPING } from '../../../main/technician/mapping.ts';

const mapped = { faceCamera: { deviceId: 'a', label: 'Face Cam (046d:0825)' }, documentCamera: { deviceId: 'b', label: 'Doc Cam' }, microphone: { deviceId: 'c', label: 'USB Audio' }, readerPort: '/dev/ttyUSB0' };
const cams = [{ label: 'Face Cam' }, { label: 'Doc Cam' }];
const mics = [{ label: 'USB Audio' }];

describe('device status for the heartbeat', () => {
  it.each([
    ['all present', mapped, cams, mics, true, { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'ok' }],
    ['document camera unplugged, reader gone', mapped, [{ label: 'Face Cam' }], mics, false, { faceCamera: 'ok', documentCamera: 'missing', microphone: 'ok', idReader: 'missing' }],
    ['nothing mapped yet', EMPTY_MAPPING, cams, mics, true, { faceCamera: 'unknown', documentCamera: 'unknown', microphone: 'ok', idReader: 'unknown' }],
    ['no devices at all', EMPTY_MAPPING, [], [], false, { faceCamera: 'missing', documentCamera: 'missing', microphone: 'missing', idReader: 'unknown' }],
  ] as const)('%s', (_n, m, c, mi, port, expected) => {
    expect(deviceStates(m, [...c], [...mi], () => port)).toEqual(expected);
  });
});
