import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_CONFIG } from '../../../renderer/flow/machine.ts';
import { FlowStore } from '../../../renderer/flow/store.ts';
import { manualClock } from '../../support/manualClock.ts';

describe('FlowStore with an injected clock', () => {
  it('shows the countdown, then resets to start and bumps the session', () => {
    const { clock, advance } = manualClock(1000);
    const store = new FlowStore(clock, { ...DEFAULT_FLOW_CONFIG, idleMs: 5000, warnMs: 2000 });
    const seen: string[] = [];
    store.subscribe((s, prev) => {
      if (s.idleWarning !== prev.idleWarning) seen.push(`warn:${s.idleWarning}`);
      if (s.screen !== prev.screen) seen.push(s.screen);
    });
    store.start();
    store.dispatch({ type: 'CHOOSE_KIND', kind: 'audio' });
    advance(2999);
    expect(store.get().idleWarning).toBe(false);
    advance(1);
    expect(store.get().idleWarning).toBe(true);
    store.dispatch({ type: 'CONTINUE' });
    advance(4999);
    expect(store.get().screen).toBe('identity');
    advance(1000);
    expect(store.get()).toMatchObject({ screen: 'start', session: 1, resetReason: 'idle' });
    expect(seen).toEqual(['identity', 'warn:true', 'warn:false', 'warn:true', 'warn:false', 'start']);
    store.stop();
  });

  it('holds while recording and stops its timer', () => {
    const { clock, advance, pending } = manualClock();
    const store = new FlowStore(clock, { ...DEFAULT_FLOW_CONFIG, idleMs: 5000, warnMs: 2000 });
    store.start();
    store.dispatch({ type: 'CHOOSE_KIND', kind: 'video' });
    store.dispatch({ type: 'CHOOSE_IDENTITY', identity: 'anonymous' });
    store.dispatch({ type: 'PHONE_DONE', phone: null });
    store.dispatch({ type: 'RECORD_START' });
    advance(60_000);
    expect(store.get()).toMatchObject({ screen: 'capture', recording: true });
    store.dispatch({ type: 'ITEM_CAPTURED', item: { id: 'a', kind: 'video' } });
    advance(4000);
    expect(store.get().screen).toBe('review');
    store.stop();
    expect(pending()).toEqual([]);
  });
});
