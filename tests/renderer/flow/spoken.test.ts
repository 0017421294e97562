import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../contract/kiosk.ts';
import type { FlowState } from '../../../renderer/flow/machine.ts';
import { initialState } from '../../../renderer/flow/machine.ts';
import {
  countdownPrompt,
  deviceMissingPrompt,
  refusedItemPrompt,
  screenPrompt,
  SPOKEN_COUNT_MAX,
  startPrompt,
} from '../../../renderer/flow/spoken.ts';

const prompts = JSON.parse(readFileSync('renderer/flow/prompts.json', 'utf8')) as Record<string, { 'zh-CN': string; en: string }>;
const at = (over: Partial<FlowState>): FlowState => ({ ...initialState(0), ...over });

describe('startPrompt', () => {
  it.each([
    ['in service, disk fine', { outOfService: null, storageLow: false }, 'welcome'],
    ['disk nearly full: no buttons, so no "touch a big button"', { outOfService: null, storageLow: true }, 'storage_full'],
    ['not enrolled', { outOfService: 'not_enrolled', storageLow: false }, 'out_of_service'],
    ['revoked, and the disk full too', { outOfService: 'revoked', storageLow: true }, 'out_of_service'],
  ] as const)('%s → %s', (_name, booth, id) => {
    expect(startPrompt(booth)).toBe(id);
  });
  it('no camera and no microphone: says so (with 12345), never the invitation', () => {
    expect(startPrompt({ outOfService: null, storageLow: false }, false)).toBe('no_devices');
    expect(startPrompt({ outOfService: null, storageLow: true }, false)).toBe('storage_full');
  });
});

describe('screenPrompt', () => {
  it.each([
    ['start (said on the first touch instead)', at({}), false, null],
    ['identity', at({ screen: 'identity' }), false, 'identity'],
    ['realname without the ID-card screens', at({ screen: 'realname' }), false, 'realname_unavailable'],
    ['realname with the ID-card screens (they speak)', at({ screen: 'realname' }), true, null],
    ['phone, anonymous', at({ screen: 'phone', identity: 'anonymous' }), false, 'phone'],
    ['phone, real name', at({ screen: 'phone', identity: 'realname' }), false, 'phone_required'],
    ['capture video', at({ screen: 'capture', kind: 'video' }), false, 'video_ready'],
    ['capture audio', at({ screen: 'capture', kind: 'audio' }), false, 'audio_ready'],
    ['capture photo', at({ screen: 'capture', kind: 'photo' }), false, 'photo_ready'],
    ['review', at({ screen: 'review' }), false, 'review'],
    ['details', at({ screen: 'details' }), false, 'details'],
    ['summary', at({ screen: 'summary' }), false, 'summary'],
    ['summary after a failed upload', at({ screen: 'summary', error: 'internal' }), false, 'submit_failed'],
    ['summary after a full disk', at({ screen: 'summary', error: 'disk_full' }), false, 'storage_full'],
    ['submitting', at({ screen: 'submitting' }), false, 'submitting'],
    ['receipt (said with the case number)', at({ screen: 'receipt' }), false, null],
  ] as const)('%s', (_name, state, realnameScreens, id) => {
    expect(screenPrompt(state, realnameScreens)).toBe(id);
  });
});

describe('refusedItemPrompt and deviceMissingPrompt', () => {
  it.each([
    ['media_too_large', 'item_too_large'],
    ['disk_full', 'storage_full'],
    ['media_empty', 'item_invalid'],
    ['media_unreadable', 'item_invalid'],
    ['internal', 'item_invalid'],
  ] as const)('%s → %s', (code: ErrorCode, id) => {
    expect(refusedItemPrompt(code)).toBe(id);
  });
  it('names the device that failed', () => {
    expect([deviceMissingPrompt('camera'), deviceMissingPrompt('microphone')]).toEqual(['camera_missing', 'microphone_missing']);
  });
});

describe('countdownPrompt', () => {
  it.each([
    ['the first look at 10, the sentence still playing', null, 10, true, null],
    ['the first look at 10, silence', null, 10, false, 'count_10'],
    ['a new second', 8, 7, false, 'count_7'],
    ['a new second while a prompt plays: skipped, never late', 8, 7, true, null],
    ['the same second looked at again', 7, 7, false, null],
    ['the last second', 2, 1, false, 'count_1'],
    ['zero is never said (the reset comes)', 1, 0, false, null],
    ['a long warning: above 10 only shown', 13, 12, false, null],
    ['a long warning reaching 10', 11, 10, false, 'count_10'],
  ] as const)('%s', (_name, before, left, speaking, id) => {
    expect(countdownPrompt(before, left, speaking)).toBe(id);
  });
});

describe('every id these choose has a clip in prompts.json', () => {
  it('in both languages', () => {
    const ids = [
      ...['welcome', 'storage_full', 'out_of_service'],
      ...Array.from({ length: SPOKEN_COUNT_MAX }, (_, i) => countdownPrompt(null, i + 1, false)),
      ...(['media_too_large', 'disk_full', 'internal'] as const).map(refusedItemPrompt),
      deviceMissingPrompt('camera'),
      deviceMissingPrompt('microphone'),
      screenPrompt(at({ screen: 'summary', error: 'internal' }), false),
      ...(['video', 'audio', 'photo'] as const).map((kind) => screenPrompt(at({ screen: 'capture', kind }), false)),
    ];
    for (const id of ids) {
      expect(prompts[id!], String(id)).toBeDefined();
      expect(prompts[id!]!['zh-CN'].length).toBeGreaterThan(0);
      expect(prompts[id!]!.en.length).toBeGreaterThan(0);
    }
  });
});
