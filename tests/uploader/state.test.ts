import { describe, expect, it } from 'vitest';
import type { OutboxState } from '../../lib/vocab.ts';
import { nextState, type OutboxEvent } from '../../uploader/state.ts';

const S: OutboxState[] = ['saved', 'uploading', 'failed', 'delivered', 'purged'];
const E: OutboxEvent[] = [
  { type: 'claim' },
  { type: 'delivered' },
  { type: 'fail', permanent: false },
  { type: 'boot' },
  { type: 'retryNow' },
  { type: 'purge' },
];

// Every (state, event) pair: the resulting state, or null where the machine refuses.
const TABLE: Record<OutboxState, Record<OutboxEvent['type'], OutboxState | null>> = {
  saved: { claim: 'uploading', delivered: null, fail: null, boot: 'saved', retryNow: null, purge: null },
  uploading: { claim: null, delivered: 'delivered', fail: 'failed', boot: 'saved', retryNow: null, purge: null },
  failed: { claim: 'uploading', delivered: null, fail: null, boot: 'failed', retryNow: 'saved', purge: null },
  delivered: { claim: null, delivered: null, fail: null, boot: 'delivered', retryNow: null, purge: 'purged' },
  purged: { claim: null, delivered: null, fail: null, boot: 'purged', retryNow: null, purge: null },
};

describe('outbox nextState', () => {
  const rows = S.flatMap((s) => E.map((e) => [s, e, TABLE[s][e.type]] as const));
  it.each(rows)('%s + %o → %s', (state, event, expected) => {
    const t = nextState(state, event);
    if (expected === null) expect(t.ok).toBe(false);
    else expect(t).toEqual({ ok: true, state: expected });
  });

  it('never moves a delivered submission back into the queue', () => {
    for (const e of E) {
      const t = nextState('delivered', e);
      if (t.ok) expect(['delivered', 'purged']).toContain(t.state);
    }
  });
});
