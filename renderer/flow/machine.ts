// The resident's session at the booth as a pure state machine (STYLE.md habit 8):
// nextState(state, event, now) → state, exhaustive over events, no DOM, no timers. Time comes in
// as `now` (from the injected clock), so idle reset is tested as table rows, not with real waits.
// Media itself (blobs, staged files in the core) lives outside; the machine holds item ids only,
// and a new `session` number tells the UI to discard everything of the previous one.
import type { CaptureKind, Category } from '../../contract/kiosk.ts';
import { checkPhone } from './phone.ts';

export type { CaptureKind, Category };

export type Screen =
  | 'start'
  | 'identity'
  | 'realname' // hand-over point to the ID-card flow (renderer/realname/, issue 5)
  | 'phone'
  | 'capture'
  | 'review'
  | 'details'
  | 'summary'
  | 'submitting'
  | 'receipt';

export type Identity = 'anonymous' | 'realname';

export interface FlowItem {
  id: string;
  kind: CaptureKind;
}

export interface FlowConfig {
  /** No touch for this long → back to the start screen, session discarded. */
  idleMs: number;
  /** The last part of idleMs shows (and speaks) a countdown with a 继续 button. */
  warnMs: number;
  maxPhotos: number;
  /** Items of any kind in one submission (photos count against maxPhotos as well). */
  maxItems: number;
  /** After 回到首页, how long the start screen offers 回到刚才 (the session is kept until then). */
  undoMs: number;
}

/** WCAG 2.2.1: at least 20 s to extend a time limit; the warning never gets shorter than this. */
export const MIN_WARN_MS = 20_000;

export const DEFAULT_FLOW_CONFIG: FlowConfig = { idleMs: 90_000, warnMs: MIN_WARN_MS, maxPhotos: 9, maxItems: 12, undoMs: 15_000 };

/** Something the resident made would be thrown away: the flow asks first (是/否). */
export type ConfirmAsk = { action: 'delete'; id: string } | { action: 'home' };

export type ResetReason = 'idle' | 'done' | 'cancel';

export interface FlowState {
  screen: Screen;
  /** Bumped on every return to start; media of an older session is discarded by the UI and core. */
  session: number;
  kind: CaptureKind;
  identity: Identity | null;
  /** Opaque reference handed back by the real-name flow (never the ID data itself). */
  realnameRef: string | null;
  phone: string | null;
  items: FlowItem[];
  /** Item being re-done: the next captured item takes its place. */
  replacing: string | null;
  category: Category | null;
  location: string | null;
  recording: boolean;
  lastActivity: number;
  idleWarning: boolean;
  caseNumber: string | null;
  /** The receipt's short number (8 digits) and status page, when the core gave them. */
  residentNumber: string | null;
  statusUrl: string | null;
  /** Error code of the last failed submit, shown on the summary screen. */
  error: string | null;
  resetReason: ResetReason | null;
  /** A question on screen before something the resident made is thrown away. */
  confirm: ConfirmAsk | null;
  /** After 回到首页: the session left behind, restorable with UNDO until `until` (then discarded). */
  undo: { state: FlowState; until: number } | null;
}

export type FlowEvent =
  | { type: 'TAP' }
  | { type: 'CONTINUE' }
  | { type: 'TICK' }
  | { type: 'CHOOSE_KIND'; kind: CaptureKind }
  | { type: 'CHOOSE_IDENTITY'; identity: Identity }
  | { type: 'REALNAME_DONE'; ref: string }
  | { type: 'PHONE_DONE'; phone: string | null }
  | { type: 'RECORD_START' }
  | { type: 'RECORD_CANCEL' }
  | { type: 'ITEM_CAPTURED'; item: FlowItem }
  | { type: 'CAPTURE_DONE' }
  | { type: 'REDO'; id: string }
  | { type: 'DELETE'; id: string }
  /** The core could not take or check an item the resident already saw in review: it leaves the list wherever the flow is. */
  | { type: 'ITEM_REFUSED'; id: string }
  | { type: 'ADD_MORE'; kind: CaptureKind }
  | { type: 'REVIEW_DONE' }
  | { type: 'SET_CATEGORY'; category: Category | null }
  | { type: 'SET_LOCATION'; location: string | null }
  | { type: 'DETAILS_DONE' }
  | { type: 'EDIT_PHONE' }
  | { type: 'SUBMIT' }
  | { type: 'SUBMIT_OK'; caseNumber: string; residentNumber?: string | null; statusUrl?: string | null }
  | { type: 'SUBMIT_FAILED'; error: string }
  | { type: 'BACK' }
  | { type: 'CANCEL' }
  | { type: 'ASK'; ask: ConfirmAsk }
  | { type: 'ANSWER'; yes: boolean }
  | { type: 'UNDO' }
  | { type: 'FINISH' };

export function initialState(now: number, session = 0): FlowState {
  return {
    screen: 'start',
    session,
    kind: 'video',
    identity: null,
    realnameRef: null,
    phone: null,
    items: [],
    replacing: null,
    category: null,
    location: null,
    recording: false,
    lastActivity: now,
    idleWarning: false,
    caseNumber: null,
    residentNumber: null,
    statusUrl: null,
    error: null,
    resetReason: null,
    confirm: null,
    undo: null,
  };
}

function reset(s: FlowState, now: number, reason: ResetReason): FlowState {
  return { ...initialState(now, s.session + 1), resetReason: reason };
}

/** Whether the resident has made or chosen anything a 回到首页 would throw away. */
export function hasWork(s: FlowState): boolean {
  return s.items.length > 0 || s.identity !== null;
}

/** 回到首页: back to start, but the session is parked for config.undoMs so a wrong tap can be undone. */
function cancel(s: FlowState, now: number, config: FlowConfig): FlowState {
  const parked: FlowState = { ...s, confirm: null, idleWarning: false, undo: null };
  return { ...reset(s, now, 'cancel'), undo: hasWork(s) ? { state: parked, until: now + config.undoMs } : null };
}

function photoCount(items: FlowItem[]): number {
  return items.filter((i) => i.kind === 'photo').length;
}

/** Whether one more item of `kind` fits in the submission (a re-do always fits: it replaces). */
export function canAdd(s: FlowState, kind: CaptureKind, config: FlowConfig = DEFAULT_FLOW_CONFIG): boolean {
  if (s.items.length >= config.maxItems) return false;
  return kind !== 'photo' || photoCount(s.items) < config.maxPhotos;
}

/** Idle and not held: the session may be dropped (nothing is recording or being committed). */
function resettable(s: FlowState): boolean {
  return s.screen !== 'start' && s.screen !== 'submitting' && !s.recording;
}

/** Seconds left before an idle reset, for the visible countdown (null when no countdown shows). */
export function idleSecondsLeft(s: FlowState, now: number, config: FlowConfig = DEFAULT_FLOW_CONFIG): number | null {
  if (!s.idleWarning) return null;
  return Math.max(0, Math.ceil((config.idleMs - (now - s.lastActivity)) / 1000));
}

export function nextState(s: FlowState, e: FlowEvent, now: number, config: FlowConfig = DEFAULT_FLOW_CONFIG): FlowState {
  if (e.type === 'TICK') {
    if (s.screen === 'start') return s.undo && now >= s.undo.until ? { ...s, undo: null } : s;
    // Held (recording, or committing the submission): the idle clock restarts when it ends.
    if (!resettable(s)) return { ...s, lastActivity: now, idleWarning: false };
    const idle = now - s.lastActivity;
    if (idle >= config.idleMs) return reset(s, now, 'idle');
    const warn = idle >= config.idleMs - config.warnMs;
    return warn === s.idleWarning ? s : { ...s, idleWarning: warn };
  }
  // Every other event is the resident (or the flow on their behalf) doing something.
  const t: FlowState = { ...s, lastActivity: now, idleWarning: false };
  const { screen } = s;
  switch (e.type) {
    case 'TAP':
    case 'CONTINUE':
      return t;
    case 'ASK': {
      const ask = e.ask;
      if (ask.action === 'delete') return screen === 'review' && s.items.some((i) => i.id === ask.id) ? { ...t, confirm: ask } : s;
      if (!resettable(s)) return s;
      // Nothing recorded yet: nothing to lose, no question (回到刚才 still undoes it).
      return s.items.length === 0 ? cancel(s, now, config) : { ...t, confirm: ask };
    }
    case 'ANSWER': {
      if (!s.confirm) return s;
      const ask = s.confirm;
      const closed = { ...t, confirm: null };
      if (!e.yes) return closed;
      return ask.action === 'home'
        ? nextState(closed, { type: 'CANCEL' }, now, config)
        : nextState(closed, { type: 'DELETE', id: ask.id }, now, config);
    }
    case 'UNDO':
      if (screen !== 'start' || !s.undo || now >= s.undo.until) return s;
      return { ...s.undo.state, lastActivity: now, idleWarning: false };
    case 'CHOOSE_KIND':
      if (screen === 'start') return { ...t, screen: 'identity', kind: e.kind, resetReason: null, undo: null };
      // A re-do's original stays until the new take is in: switching kind keeps it and adds.
      if (screen === 'capture' && !s.recording) return { ...t, kind: e.kind, replacing: null };
      return s;
    case 'CHOOSE_IDENTITY':
      if (screen !== 'identity') return s;
      return { ...t, identity: e.identity, screen: e.identity === 'realname' ? 'realname' : 'phone' };
    case 'REALNAME_DONE':
      return screen === 'realname' ? { ...t, realnameRef: e.ref, screen: 'phone' } : s;
    case 'PHONE_DONE': {
      if (screen !== 'phone') return s;
      // A real-name submission needs a number to call back; anonymous may leave none.
      if (e.phone === null) return s.identity === 'anonymous' ? { ...t, phone: null, screen: 'capture' } : s;
      const check = checkPhone(e.phone);
      return check.ok ? { ...t, phone: check.digits, screen: s.items.length > 0 ? 'summary' : 'capture' } : s;
    }
    case 'RECORD_START':
      if (screen !== 'capture' || s.recording) return s;
      if (!s.replacing && !canAdd(s, s.kind, config)) return s;
      return s.kind === 'photo' ? t : { ...t, recording: true };
    case 'RECORD_CANCEL':
      return screen === 'capture' ? { ...t, recording: false } : s;
    case 'ITEM_CAPTURED': {
      if (screen !== 'capture') return s;
      if (s.items.some((i) => i.id === e.item.id)) return s;
      if (s.replacing) {
        const items = s.items.map((i) => (i.id === s.replacing ? e.item : i));
        return { ...t, items, replacing: null, recording: false, screen: 'review' };
      }
      if (!canAdd(s, e.item.kind, config)) return { ...t, recording: false };
      // Photos come in runs (a letter's pages): stay on the camera until the resident says done.
      const screenAfter = e.item.kind === 'photo' ? 'capture' : 'review';
      return { ...t, items: [...s.items, e.item], recording: false, screen: screenAfter };
    }
    case 'CAPTURE_DONE':
      return screen === 'capture' && !s.recording && s.items.length > 0 ? { ...t, screen: 'review', replacing: null } : s;
    case 'REDO': {
      if (screen !== 'review') return s;
      const item = s.items.find((i) => i.id === e.id);
      return item ? { ...t, screen: 'capture', kind: item.kind, replacing: item.id } : s;
    }
    case 'DELETE': {
      if (screen !== 'review') return s;
      const items = s.items.filter((i) => i.id !== e.id);
      if (items.length === s.items.length) return s;
      return { ...t, items, screen: items.length === 0 ? 'capture' : 'review' };
    }
    case 'ITEM_REFUSED': {
      // Not the resident's doing (no activity): the item goes from the list on any screen, and a
      // resident already past review is brought back to it, where the reason is shown.
      const items = s.items.filter((i) => i.id !== e.id);
      if (items.length === s.items.length) return s;
      const back = screen === 'review' || screen === 'details' || screen === 'summary';
      const confirm = s.confirm?.action === 'delete' && s.confirm.id === e.id ? null : s.confirm;
      return {
        ...s,
        items,
        confirm,
        replacing: s.replacing === e.id ? null : s.replacing,
        screen: back ? (items.length ? 'review' : 'capture') : screen,
      };
    }
    case 'ADD_MORE':
      if (screen !== 'review' || !canAdd(s, e.kind, config)) return s;
      return { ...t, screen: 'capture', kind: e.kind, replacing: null };
    case 'REVIEW_DONE':
      return screen === 'review' && s.items.length > 0 ? { ...t, screen: 'details' } : s;
    case 'SET_CATEGORY':
      return screen === 'details' ? { ...t, category: e.category } : s;
    case 'SET_LOCATION':
      return screen === 'details' ? { ...t, location: e.location } : s;
    case 'DETAILS_DONE':
      return screen === 'details' ? { ...t, screen: 'summary' } : s;
    case 'EDIT_PHONE':
      return screen === 'summary' ? { ...t, screen: 'phone', error: null } : s;
    case 'SUBMIT':
      return screen === 'summary' && s.items.length > 0 ? { ...t, screen: 'submitting', error: null } : s;
    case 'SUBMIT_OK':
      return screen === 'submitting'
        ? { ...t, screen: 'receipt', caseNumber: e.caseNumber, residentNumber: e.residentNumber ?? null, statusUrl: e.statusUrl ?? null }
        : s;
    case 'SUBMIT_FAILED':
      return screen === 'submitting' ? { ...t, screen: 'summary', error: e.error } : s;
    case 'BACK':
      return back(s, t, now);
    case 'CANCEL':
      return resettable(s) ? cancel(s, now, config) : s;
    case 'FINISH':
      return screen === 'receipt' ? reset(s, now, 'done') : s;
    default: {
      const never: never = e;
      throw new Error(`unhandled flow event ${JSON.stringify(never)}`);
    }
  }
}

function back(s: FlowState, t: FlowState, now: number): FlowState {
  switch (s.screen) {
    case 'start':
    case 'submitting':
      return s;
    case 'identity':
      return reset(s, now, 'cancel');
    case 'realname':
    case 'phone':
      // Phone reached from the summary (to change the number) goes back there.
      if (s.screen === 'phone' && s.items.length > 0) return { ...t, screen: 'summary' };
      return { ...t, screen: 'identity', identity: null, realnameRef: null };
    case 'capture':
      if (s.recording) return s;
      // A re-do's original is kept until the new take replaces it: back returns to it unchanged.
      return { ...t, screen: s.items.length > 0 ? 'review' : 'phone', replacing: null };
    case 'review':
      return { ...t, screen: 'capture' };
    case 'details':
      return { ...t, screen: 'review' };
    case 'summary':
      return { ...t, screen: 'details', error: null };
    case 'receipt':
      return reset(s, now, 'done');
    default: {
      const never: never = s.screen;
      throw new Error(`unhandled screen ${String(never)}`);
    }
  }
}
