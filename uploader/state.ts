// The outbox state machine. The state column changes only through nextState (STYLE.md habit 8).
//
//   saved ──claim──► uploading ──delivered──► delivered ──purge──► purged
//     ▲                 │  │
//     └──── boot ───────┘  └──fail──► failed ──claim──► uploading
//                                        └──retryNow──► saved
import type { OutboxState } from '../lib/vocab.ts';

export type OutboxEvent =
  | { type: 'claim' }
  | { type: 'delivered' }
  | { type: 'fail'; permanent: boolean }
  | { type: 'boot' }
  | { type: 'retryNow' }
  | { type: 'purge' };

export type Transition = { ok: true; state: OutboxState } | { ok: false; reason: string };

const refuse = (state: OutboxState, event: OutboxEvent): Transition => ({
  ok: false,
  reason: `${event.type} is not allowed in state ${state}`,
});

export function nextState(state: OutboxState, event: OutboxEvent): Transition {
  switch (event.type) {
    case 'claim':
      return state === 'saved' || state === 'failed' ? { ok: true, state: 'uploading' } : refuse(state, event);
    case 'delivered':
      return state === 'uploading' ? { ok: true, state: 'delivered' } : refuse(state, event);
    case 'fail':
      return state === 'uploading' ? { ok: true, state: 'failed' } : refuse(state, event);
    case 'boot':
      // A power cut mid-upload: the row goes back to the queue; the retry asks the intake what it has.
      return state === 'uploading' ? { ok: true, state: 'saved' } : { ok: true, state };
    case 'retryNow':
      return state === 'failed' ? { ok: true, state: 'saved' } : refuse(state, event);
    case 'purge':
      return state === 'delivered' ? { ok: true, state: 'purged' } : refuse(state, event);
    default: {
      const unreachable: never = event;
      throw new Error(`unknown outbox event ${JSON.stringify(unreachable)}`);
    }
  }
}
