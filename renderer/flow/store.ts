// Holds the flow state for the UI: dispatch(event) applies nextState at clock.now(), and a tick
// every second drives the idle countdown. The clock is injected (STYLE.md habit 7) so tests run it
// by hand; the UI passes the browser clock.
import type { FlowConfig, FlowEvent, FlowState } from './machine.ts';
import { DEFAULT_FLOW_CONFIG, initialState, nextState } from './machine.ts';

export type Listener = (state: FlowState, previous: FlowState, event: FlowEvent) => void;

export class FlowStore {
  private state: FlowState;
  private listeners = new Set<Listener>();
  private timer: unknown = null;

  constructor(
    private readonly clock: Clock,
    private config: FlowConfig = DEFAULT_FLOW_CONFIG,
    private readonly tickMs = 1000,
  ) {
    this.state = initialState(clock.now());
  }

  get(): FlowState {
    return this.state;
  }

  getConfig(): FlowConfig {
    return this.config;
  }

  /** Settings from the booth config can change between sessions (e.g. idle timeout). */
  setConfig(config: FlowConfig): void {
    this.config = config;
  }

  dispatch(event: FlowEvent): FlowState {
    const previous = this.state;
    const next = nextState(previous, event, this.clock.now(), this.config);
    if (next !== previous) {
      this.state = next;
      for (const l of this.listeners) l(next, previous, event);
    }
    return next;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.timer !== null) return;
    const loop = () => {
      this.timer = this.clock.setTimeout(loop, this.tickMs);
      this.dispatch({ type: 'TICK' });
    };
    this.timer = this.clock.setTimeout(loop, this.tickMs);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * Time for the flow, injected so tests drive it. The same shape as lib/clock.ts's Clock (structural,
 * so tests may hand either), declared here because renderer/ imports nothing but contract/.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock (the browser's timers). */
export const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
