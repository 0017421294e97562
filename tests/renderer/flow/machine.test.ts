import { describe, expect, it } from 'vitest';
import type { FlowEvent, FlowState } from '../../../renderer/flow/machine.ts';
import { DEFAULT_FLOW_CONFIG, idleSecondsLeft, initialState, nextState } from '../../../renderer/flow/machine.ts';

const T0 = 1_000_000;
const base = initialState(T0);
const at = (over: Partial<FlowState>): FlowState => ({ ...base, ...over });
const vid = { id: 'v1', kind: 'video' as const };
const ph = (n: number) => ({ id: `p${n}`, kind: 'photo' as const });
const photos = (n: number) => Array.from({ length: n }, (_, i) => ph(i + 1));

// Each row: name, state before, event, time of the event, what the state after must contain.
type Row = [string, FlowState, FlowEvent, number, Partial<FlowState>];
const rows: Row[] = [
  // start
  ['start: choose video', at({}), { type: 'CHOOSE_KIND', kind: 'video' }, T0, { screen: 'identity', kind: 'video' }],
  ['start: choose audio', at({}), { type: 'CHOOSE_KIND', kind: 'audio' }, T0, { screen: 'identity', kind: 'audio' }],
  ['start: choose photo', at({}), { type: 'CHOOSE_KIND', kind: 'photo' }, T0, { screen: 'identity', kind: 'photo' }],
  ['start: tap keeps start', at({}), { type: 'TAP' }, T0 + 5, { screen: 'start', lastActivity: T0 + 5 }],
  ['start: back is a no-op', at({}), { type: 'BACK' }, T0, { screen: 'start', session: 0 }],
  ['start: submit ignored', at({}), { type: 'SUBMIT' }, T0, { screen: 'start' }],
  ['start: never idles out', at({}), { type: 'TICK' }, T0 + 10 * 90_000, { screen: 'start', session: 0, idleWarning: false }],
  // identity
  [
    'identity: anonymous → phone',
    at({ screen: 'identity' }),
    { type: 'CHOOSE_IDENTITY', identity: 'anonymous' },
    T0,
    { screen: 'phone', identity: 'anonymous' },
  ],
  [
    'identity: real name → realname',
    at({ screen: 'identity' }),
    { type: 'CHOOSE_IDENTITY', identity: 'realname' },
    T0,
    { screen: 'realname', identity: 'realname' },
  ],
  [
    'identity: back → start, new session',
    at({ screen: 'identity' }),
    { type: 'BACK' },
    T0,
    { screen: 'start', session: 1, resetReason: 'cancel' },
  ],
  // realname hand-over
  [
    'realname: done → phone with ref',
    at({ screen: 'realname', identity: 'realname' }),
    { type: 'REALNAME_DONE', ref: 'r-1' },
    T0,
    { screen: 'phone', realnameRef: 'r-1' },
  ],
  [
    'realname: back → identity',
    at({ screen: 'realname', identity: 'realname' }),
    { type: 'BACK' },
    T0,
    { screen: 'identity', identity: null },
  ],
  [
    'realname: done elsewhere ignored',
    at({ screen: 'phone' }),
    { type: 'REALNAME_DONE', ref: 'r-1' },
    T0,
    { screen: 'phone', realnameRef: null },
  ],
  // phone
  [
    'phone: anonymous may skip',
    at({ screen: 'phone', identity: 'anonymous' }),
    { type: 'PHONE_DONE', phone: null },
    T0,
    { screen: 'capture', phone: null },
  ],
  [
    'phone: real name may not skip',
    at({ screen: 'phone', identity: 'realname' }),
    { type: 'PHONE_DONE', phone: null },
    T0,
    { screen: 'phone' },
  ],
  [
    'phone: valid mobile',
    at({ screen: 'phone', identity: 'anonymous' }),
    { type: 'PHONE_DONE', phone: '13812345678' },
    T0,
    { screen: 'capture', phone: '13812345678' },
  ],
  [
    'phone: valid landline',
    at({ screen: 'phone', identity: 'realname' }),
    { type: 'PHONE_DONE', phone: '010-65123456' },
    T0,
    { screen: 'capture', phone: '01065123456' },
  ],
  [
    'phone: invalid stays',
    at({ screen: 'phone', identity: 'anonymous' }),
    { type: 'PHONE_DONE', phone: '1381234' },
    T0,
    { screen: 'phone', phone: null },
  ],
  ['phone: back → identity', at({ screen: 'phone', identity: 'anonymous' }), { type: 'BACK' }, T0, { screen: 'identity', identity: null }],
  [
    'phone: from summary returns to summary',
    at({ screen: 'phone', identity: 'anonymous', items: [vid] }),
    { type: 'PHONE_DONE', phone: '13812345678' },
    T0,
    { screen: 'summary' },
  ],
  [
    'phone: back from summary edit',
    at({ screen: 'phone', identity: 'anonymous', items: [vid] }),
    { type: 'BACK' },
    T0,
    { screen: 'summary' },
  ],
  // capture
  ['capture: start recording video', at({ screen: 'capture', kind: 'video' }), { type: 'RECORD_START' }, T0, { recording: true }],
  ['capture: start recording audio', at({ screen: 'capture', kind: 'audio' }), { type: 'RECORD_START' }, T0, { recording: true }],
  ['capture: photo shutter does not hold', at({ screen: 'capture', kind: 'photo' }), { type: 'RECORD_START' }, T0, { recording: false }],
  [
    'capture: item → review',
    at({ screen: 'capture', recording: true }),
    { type: 'ITEM_CAPTURED', item: vid },
    T0,
    { screen: 'review', items: [vid], recording: false },
  ],
  [
    'capture: a photo stays on the camera',
    at({ screen: 'capture', kind: 'photo', items: [ph(1)] }),
    { type: 'ITEM_CAPTURED', item: ph(2) },
    T0,
    { screen: 'capture', items: [ph(1), ph(2)] },
  ],
  [
    'capture: done with photos → review',
    at({ screen: 'capture', kind: 'photo', items: [ph(1)] }),
    { type: 'CAPTURE_DONE' },
    T0,
    { screen: 'review' },
  ],
  ['capture: done with nothing ignored', at({ screen: 'capture', kind: 'photo' }), { type: 'CAPTURE_DONE' }, T0, { screen: 'capture' }],
  [
    'capture: done while recording ignored',
    at({ screen: 'capture', recording: true, items: [vid] }),
    { type: 'CAPTURE_DONE' },
    T0,
    { screen: 'capture' },
  ],
  [
    'capture: duplicate id ignored',
    at({ screen: 'capture', items: [vid] }),
    { type: 'ITEM_CAPTURED', item: vid },
    T0,
    { screen: 'capture', items: [vid] },
  ],
  [
    'capture: record cancel',
    at({ screen: 'capture', recording: true }),
    { type: 'RECORD_CANCEL' },
    T0,
    { recording: false, screen: 'capture' },
  ],
  [
    'capture: switch kind (device missing)',
    at({ screen: 'capture', kind: 'video' }),
    { type: 'CHOOSE_KIND', kind: 'audio' },
    T0,
    { screen: 'capture', kind: 'audio' },
  ],
  [
    'capture: no switch while recording',
    at({ screen: 'capture', kind: 'video', recording: true }),
    { type: 'CHOOSE_KIND', kind: 'audio' },
    T0,
    { kind: 'video' },
  ],
  ['capture: back → phone when empty', at({ screen: 'capture' }), { type: 'BACK' }, T0, { screen: 'phone' }],
  [
    'capture: back → review when items',
    at({ screen: 'capture', items: [vid, ph(1)] }),
    { type: 'BACK' },
    T0,
    { screen: 'review', items: [vid, ph(1)] },
  ],
  [
    'capture: back from a re-do keeps the original',
    at({ screen: 'capture', items: [vid, ph(1)], replacing: 'v1' }),
    { type: 'BACK' },
    T0,
    { screen: 'review', items: [vid, ph(1)], replacing: null },
  ],
  [
    'capture: back from re-doing the only item keeps it → review',
    at({ screen: 'capture', items: [vid], replacing: 'v1' }),
    { type: 'BACK' },
    T0,
    { screen: 'review', items: [vid], replacing: null },
  ],
  [
    'capture: switching kind during a re-do keeps the original',
    at({ screen: 'capture', kind: 'video', items: [vid, ph(1)], replacing: 'v1' }),
    { type: 'CHOOSE_KIND', kind: 'audio' },
    T0,
    { kind: 'audio', items: [vid, ph(1)], replacing: null },
  ],
  [
    'capture: no back while recording',
    at({ screen: 'capture', recording: true }),
    { type: 'BACK' },
    T0,
    { screen: 'capture', recording: true },
  ],
  [
    'capture: no cancel while recording',
    at({ screen: 'capture', recording: true }),
    { type: 'CANCEL' },
    T0,
    { screen: 'capture', session: 0 },
  ],
  [
    'capture: 10th photo refused',
    at({ screen: 'capture', kind: 'photo', items: photos(9) }),
    { type: 'ITEM_CAPTURED', item: ph(10) },
    T0,
    { screen: 'capture', items: photos(9) },
  ],
  [
    'capture: 9th photo is kept',
    at({ screen: 'capture', kind: 'photo', items: photos(8) }),
    { type: 'ITEM_CAPTURED', item: ph(9) },
    T0,
    { screen: 'capture', items: photos(9) },
  ],
  [
    'capture: no shutter at 9 photos',
    at({ screen: 'capture', kind: 'photo', items: photos(9) }),
    { type: 'RECORD_START' },
    T0,
    { lastActivity: T0 },
  ],
  [
    'capture: redo replaces in place',
    at({ screen: 'capture', kind: 'photo', items: [vid, ph(1), ph(2)], replacing: 'p1' }),
    { type: 'ITEM_CAPTURED', item: ph(7) },
    T0,
    { screen: 'review', items: [vid, ph(7), ph(2)], replacing: null },
  ],
  [
    'capture: redo allowed at the photo limit',
    at({ screen: 'capture', kind: 'photo', items: photos(9), replacing: 'p9' }),
    { type: 'ITEM_CAPTURED', item: ph(10) },
    T0,
    { screen: 'review', items: [...photos(8), ph(10)] },
  ],
  // review
  [
    'review: redo → capture of that kind',
    at({ screen: 'review', kind: 'photo', items: [vid, ph(1)] }),
    { type: 'REDO', id: 'v1' },
    T0,
    { screen: 'capture', kind: 'video', replacing: 'v1' },
  ],
  [
    'review: redo unknown id ignored',
    at({ screen: 'review', items: [vid] }),
    { type: 'REDO', id: 'zz' },
    T0,
    { screen: 'review', replacing: null },
  ],
  [
    'review: delete one of two',
    at({ screen: 'review', items: [vid, ph(1)] }),
    { type: 'DELETE', id: 'p1' },
    T0,
    { screen: 'review', items: [vid] },
  ],
  [
    'review: delete last → capture',
    at({ screen: 'review', items: [vid] }),
    { type: 'DELETE', id: 'v1' },
    T0,
    { screen: 'capture', items: [] },
  ],
  [
    'summary: an item the core could not take leaves the list, back to review',
    at({ screen: 'summary', items: [vid, ph(1)], lastActivity: T0 - 5_000 }),
    { type: 'ITEM_REFUSED', id: 'v1' },
    T0,
    { screen: 'review', items: [ph(1)], lastActivity: T0 - 5_000 },
  ],
  [
    'details: the only item refused → capture',
    at({ screen: 'details', items: [vid] }),
    { type: 'ITEM_REFUSED', id: 'v1' },
    T0,
    { screen: 'capture', items: [] },
  ],
  [
    'capture (re-doing it): the refused original is no longer replaced',
    at({ screen: 'capture', items: [vid, ph(1)], replacing: 'v1' }),
    { type: 'ITEM_REFUSED', id: 'v1' },
    T0,
    { screen: 'capture', items: [ph(1)], replacing: null },
  ],
  [
    'submitting: the refused item leaves the list, the screen stays (submit then fails with the reason)',
    at({ screen: 'submitting', items: [vid, ph(1)] }),
    { type: 'ITEM_REFUSED', id: 'v1' },
    T0,
    { screen: 'submitting', items: [ph(1)] },
  ],
  [
    'review: add photo',
    at({ screen: 'review', kind: 'video', items: [vid] }),
    { type: 'ADD_MORE', kind: 'photo' },
    T0,
    { screen: 'capture', kind: 'photo' },
  ],
  [
    'review: add photo refused at 9',
    at({ screen: 'review', items: photos(9) }),
    { type: 'ADD_MORE', kind: 'photo' },
    T0,
    { screen: 'review' },
  ],
  [
    'review: add video allowed at 9 photos',
    at({ screen: 'review', items: photos(9) }),
    { type: 'ADD_MORE', kind: 'video' },
    T0,
    { screen: 'capture', kind: 'video' },
  ],
  ['review: done → details', at({ screen: 'review', items: [vid] }), { type: 'REVIEW_DONE' }, T0, { screen: 'details' }],
  ['review: done with nothing ignored', at({ screen: 'review' }), { type: 'REVIEW_DONE' }, T0, { screen: 'review' }],
  ['review: back → capture', at({ screen: 'review', items: [vid] }), { type: 'BACK' }, T0, { screen: 'capture' }],
  [
    'review: cancel discards',
    at({ screen: 'review', items: [vid], phone: '13812345678' }),
    { type: 'CANCEL' },
    T0,
    { screen: 'start', items: [], phone: null, session: 1, resetReason: 'cancel' },
  ],
  // details
  ['details: category', at({ screen: 'details', items: [vid] }), { type: 'SET_CATEGORY', category: 'noise' }, T0, { category: 'noise' }],
  [
    'details: category cleared',
    at({ screen: 'details', category: 'noise' }),
    { type: 'SET_CATEGORY', category: null },
    T0,
    { category: null },
  ],
  ['details: location', at({ screen: 'details' }), { type: 'SET_LOCATION', location: '8号楼' }, T0, { location: '8号楼' }],
  [
    'details: category outside details ignored',
    at({ screen: 'review' }),
    { type: 'SET_CATEGORY', category: 'noise' },
    T0,
    { category: null },
  ],
  ['details: done → summary', at({ screen: 'details', items: [vid] }), { type: 'DETAILS_DONE' }, T0, { screen: 'summary' }],
  ['details: back → review', at({ screen: 'details', items: [vid] }), { type: 'BACK' }, T0, { screen: 'review' }],
  // summary
  ['summary: submit', at({ screen: 'summary', items: [vid], error: 'x' }), { type: 'SUBMIT' }, T0, { screen: 'submitting', error: null }],
  ['summary: edit phone', at({ screen: 'summary', items: [vid] }), { type: 'EDIT_PHONE' }, T0, { screen: 'phone' }],
  ['summary: back → details', at({ screen: 'summary', items: [vid] }), { type: 'BACK' }, T0, { screen: 'details' }],
  // submitting
  [
    'submitting: ok → receipt',
    at({ screen: 'submitting', items: [vid] }),
    { type: 'SUBMIT_OK', caseNumber: 'SB-20261125-0007' },
    T0,
    { screen: 'receipt', caseNumber: 'SB-20261125-0007' },
  ],
  [
    'submitting: failed → summary with error',
    at({ screen: 'submitting', items: [vid] }),
    { type: 'SUBMIT_FAILED', error: 'disk-full' },
    T0,
    { screen: 'summary', error: 'disk-full', items: [vid] },
  ],
  ['submitting: back ignored', at({ screen: 'submitting', items: [vid] }), { type: 'BACK' }, T0, { screen: 'submitting' }],
  ['submitting: cancel ignored', at({ screen: 'submitting', items: [vid] }), { type: 'CANCEL' }, T0, { screen: 'submitting' }],
  [
    'submitting: never idles out',
    at({ screen: 'submitting', items: [vid] }),
    { type: 'TICK' },
    T0 + 500_000,
    { screen: 'submitting', lastActivity: T0 + 500_000 },
  ],
  // receipt
  [
    'receipt: finish → start',
    at({ screen: 'receipt', items: [vid], caseNumber: 'X' }),
    { type: 'FINISH' },
    T0,
    { screen: 'start', items: [], caseNumber: null, session: 1, resetReason: 'done' },
  ],
  ['receipt: back → start', at({ screen: 'receipt', caseNumber: 'X' }), { type: 'BACK' }, T0, { screen: 'start', resetReason: 'done' }],
  [
    'receipt: idles out',
    at({ screen: 'receipt', caseNumber: 'X' }),
    { type: 'TICK' },
    T0 + 90_000,
    { screen: 'start', resetReason: 'idle' },
  ],
  ['finish outside receipt ignored', at({ screen: 'summary', items: [vid] }), { type: 'FINISH' }, T0, { screen: 'summary' }],
  // idle
  [
    'idle: quiet 69 s, no warning',
    at({ screen: 'review', items: [vid] }),
    { type: 'TICK' },
    T0 + 69_999,
    { screen: 'review', idleWarning: false },
  ],
  [
    'idle: 70 s shows the 20-second countdown',
    at({ screen: 'review', items: [vid] }),
    { type: 'TICK' },
    T0 + 80_000,
    { screen: 'review', idleWarning: true },
  ],
  [
    'idle: 90 s resets',
    at({ screen: 'review', items: [vid], idleWarning: true }),
    { type: 'TICK' },
    T0 + 90_000,
    { screen: 'start', items: [], session: 1, resetReason: 'idle', idleWarning: false },
  ],
  [
    'idle: continue clears warning',
    at({ screen: 'details', idleWarning: true }),
    { type: 'CONTINUE' },
    T0 + 85_000,
    { screen: 'details', idleWarning: false, lastActivity: T0 + 85_000 },
  ],
  ['idle: tap clears warning', at({ screen: 'phone', idleWarning: true }), { type: 'TAP' }, T0 + 85_000, { idleWarning: false }],
  [
    'idle: no reset while recording',
    at({ screen: 'capture', recording: true }),
    { type: 'TICK' },
    T0 + 400_000,
    { screen: 'capture', recording: true, lastActivity: T0 + 400_000 },
  ],
  // nothing lost by one wrong tap (issue 18)
  [
    'confirm: delete asks first',
    at({ screen: 'review', items: [vid, ph(1)] }),
    { type: 'ASK', ask: { action: 'delete', id: 'v1' } },
    T0,
    { screen: 'review', items: [vid, ph(1)], confirm: { action: 'delete', id: 'v1' } },
  ],
  [
    'confirm: 否 keeps the item',
    at({ screen: 'review', items: [vid, ph(1)], confirm: { action: 'delete', id: 'v1' } }),
    { type: 'ANSWER', yes: false },
    T0,
    { screen: 'review', items: [vid, ph(1)], confirm: null },
  ],
  [
    'confirm: 是 deletes it',
    at({ screen: 'review', items: [vid, ph(1)], confirm: { action: 'delete', id: 'v1' } }),
    { type: 'ANSWER', yes: true },
    T0,
    { screen: 'review', items: [ph(1)], confirm: null },
  ],
  [
    'confirm: delete of an unknown id asks nothing',
    at({ screen: 'review', items: [vid] }),
    { type: 'ASK', ask: { action: 'delete', id: 'zz' } },
    T0,
    { confirm: null },
  ],
  [
    'confirm: home with recordings asks first',
    at({ screen: 'summary', identity: 'anonymous', items: [vid] }),
    { type: 'ASK', ask: { action: 'home' } },
    T0,
    { screen: 'summary', confirm: { action: 'home' } },
  ],
  [
    'confirm: home with nothing recorded goes at once, undoable',
    at({ screen: 'phone', identity: 'anonymous' }),
    { type: 'ASK', ask: { action: 'home' } },
    T0,
    { screen: 'start', session: 1, confirm: null, undo: { state: at({ screen: 'phone', identity: 'anonymous' }), until: T0 + 15_000 } },
  ],
  [
    'confirm: 是 on home → start, the session parked',
    at({ screen: 'review', identity: 'anonymous', items: [vid], confirm: { action: 'home' } }),
    { type: 'ANSWER', yes: true },
    T0 + 1,
    {
      screen: 'start',
      session: 1,
      items: [],
      undo: { state: at({ screen: 'review', identity: 'anonymous', items: [vid], lastActivity: T0 + 1 }), until: T0 + 15_001 },
    },
  ],
  [
    'confirm: no home question while recording',
    at({ screen: 'capture', recording: true, items: [vid] }),
    { type: 'ASK', ask: { action: 'home' } },
    T0,
    { screen: 'capture', confirm: null },
  ],
  [
    'undo: 回到刚才 restores the session',
    at({ session: 1, undo: { state: at({ screen: 'review', identity: 'anonymous', items: [vid] }), until: T0 + 15_000 } }),
    { type: 'UNDO' },
    T0 + 14_999,
    { screen: 'review', session: 0, items: [vid], undo: null, lastActivity: T0 + 14_999 },
  ],
  [
    'undo: too late',
    at({ session: 1, undo: { state: at({ screen: 'review', items: [vid] }), until: T0 + 15_000 } }),
    { type: 'UNDO' },
    T0 + 15_000,
    { screen: 'start', session: 1 },
  ],
  [
    'undo: the offer ends on its own',
    at({ session: 1, undo: { state: at({ screen: 'review', items: [vid] }), until: T0 + 15_000 } }),
    { type: 'TICK' },
    T0 + 15_000,
    { screen: 'start', undo: null },
  ],
  [
    'undo: a new resident starting ends it',
    at({ session: 1, undo: { state: at({ screen: 'review', items: [vid] }), until: T0 + 15_000 } }),
    { type: 'CHOOSE_KIND', kind: 'audio' },
    T0 + 1,
    { screen: 'identity', undo: null },
  ],
  [
    'undo: an idle reset is not undoable',
    at({ screen: 'review', items: [vid], idleWarning: true }),
    { type: 'TICK' },
    T0 + 90_000,
    { screen: 'start', undo: null },
  ],
  [
    'idle: capture screen resets when not recording',
    at({ screen: 'capture' }),
    { type: 'TICK' },
    T0 + 90_000,
    { screen: 'start', resetReason: 'idle' },
  ],
];

describe('flow nextState (state, event) → state', () => {
  it.each(rows)('%s', (_name, before, event, now, expected) => {
    const after = nextState(before, event, now);
    expect(after).toMatchObject(expected);
  });

  it('returns the same object for ignored events, so the UI does not re-render', () => {
    const s = at({ screen: 'start' });
    expect(nextState(s, { type: 'SUBMIT_OK', caseNumber: 'x' }, T0 + 1)).toBe(s);
    expect(nextState(s, { type: 'TICK' }, T0 + 1)).toBe(s);
  });

  it('every screen answers every event without throwing', () => {
    const screens = ['start', 'identity', 'realname', 'phone', 'capture', 'review', 'details', 'summary', 'submitting', 'receipt'] as const;
    const events: FlowEvent[] = [
      { type: 'TAP' },
      { type: 'CONTINUE' },
      { type: 'TICK' },
      { type: 'CHOOSE_KIND', kind: 'audio' },
      { type: 'CHOOSE_IDENTITY', identity: 'anonymous' },
      { type: 'REALNAME_DONE', ref: 'r' },
      { type: 'PHONE_DONE', phone: null },
      { type: 'RECORD_START' },
      { type: 'RECORD_CANCEL' },
      { type: 'ITEM_CAPTURED', item: vid },
      { type: 'CAPTURE_DONE' },
      { type: 'REDO', id: 'v1' },
      { type: 'DELETE', id: 'v1' },
      { type: 'ITEM_REFUSED', id: 'v1' },
      { type: 'ADD_MORE', kind: 'photo' },
      { type: 'REVIEW_DONE' },
      { type: 'SET_CATEGORY', category: 'other' },
      { type: 'SET_LOCATION', location: null },
      { type: 'DETAILS_DONE' },
      { type: 'EDIT_PHONE' },
      { type: 'SUBMIT' },
      { type: 'SUBMIT_OK', caseNumber: 'c' },
      { type: 'SUBMIT_FAILED', error: 'e' },
      { type: 'BACK' },
      { type: 'CANCEL' },
      { type: 'FINISH' },
      { type: 'ASK', ask: { action: 'home' } },
      { type: 'ASK', ask: { action: 'delete', id: 'v1' } },
      { type: 'ANSWER', yes: true },
      { type: 'ANSWER', yes: false },
      { type: 'UNDO' },
    ];
    for (const screen of screens) for (const e of events) expect(() => nextState(at({ screen, items: [vid] }), e, T0)).not.toThrow();
  });

  it('a shorter configured timeout resets sooner', () => {
    const config = { ...DEFAULT_FLOW_CONFIG, idleMs: 5_000, warnMs: 2_000 };
    const s = at({ screen: 'details', items: [vid] });
    expect(nextState(s, { type: 'TICK' }, T0 + 2_999, config).idleWarning).toBe(false);
    expect(nextState(s, { type: 'TICK' }, T0 + 3_000, config).idleWarning).toBe(true);
    expect(nextState(s, { type: 'TICK' }, T0 + 5_000, config).screen).toBe('start');
  });

  it('counts down the last seconds', () => {
    const s = at({ screen: 'details', idleWarning: true });
    expect(idleSecondsLeft(s, T0 + 80_000)).toBe(10);
    expect(idleSecondsLeft(s, T0 + 89_001)).toBe(1);
    expect(idleSecondsLeft(at({ screen: 'details' }), T0 + 10)).toBeNull();
  });
});
