// What every screen of the flow can reach: state, dispatch, words, settings, the speaker, the core.
import { createContext, useContext } from 'react';
import type { Clock } from './store.ts';
import type { ItemSummary, KioskConfig } from '../../contract/kiosk.ts';
import type { FlowApi } from './api.ts';
import type { DeviceHealth } from './devices.ts';
import type { FlowEvent, FlowState } from './machine.ts';
import type { Speaker } from './speaker.ts';
import type { Language } from '../../contract/kiosk.ts';
import type { Dictionary } from '../i18n/index.ts';

/** Captured media of the current session, in memory for playback; cleared on every reset. */
export class MediaStore {
  private items = new Map<string, ItemSummary & { url: string; interrupted: boolean }>();

  /** The error code of the last recording the core's checks refused after review showed it. */
  refused: string | null = null;

  // What the core's checks add after review is on screen (duration, poster) re-renders review.
  private version = 0;
  private listeners = new Set<() => void>();
  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  readonly snapshot = (): number => this.version;

  /** `interrupted`: the device went away mid-recording; this is what was recorded until then. */
  add(item: ItemSummary, blob: Blob, interrupted = false): void {
    this.refused = null;
    this.items.set(item.itemId, { ...item, url: URL.createObjectURL(blob), interrupted });
  }

  /** What the core's checks found (duration, poster), once they are done. */
  update(item: ItemSummary): void {
    const it = this.items.get(item.itemId);
    if (it)
      this.items.set(item.itemId, {
        ...it,
        durationSec: item.durationSec ?? it.durationSec,
        posterDataUrl: item.posterDataUrl ?? it.posterDataUrl,
      });
    this.version += 1;
    for (const fn of this.listeners) fn();
  }

  get(id: string): (ItemSummary & { url: string; interrupted: boolean }) | undefined {
    return this.items.get(id);
  }

  remove(id: string): void {
    const it = this.items.get(id);
    if (it) URL.revokeObjectURL(it.url);
    this.items.delete(id);
  }

  clear(): void {
    for (const id of [...this.items.keys()]) this.remove(id);
    this.refused = null;
  }

  size(): number {
    return this.items.size;
  }
}

export interface FlowContextValue {
  state: FlowState;
  dispatch: (e: FlowEvent) => void;
  t: Dictionary;
  lang: Language;
  setLang: (l: Language) => void;
  settings: KioskConfig;
  speaker: Speaker;
  api: FlowApi;
  sessionId: string;
  media: MediaStore;
  clock: Clock;
  /** Which devices opened at the last look (null: not looked yet). */
  health: DeviceHealth | null;
  /** A capture screen found a device dead, or working again. */
  setDeviceWorks: (device: 'camera' | 'microphone', works: boolean) => void;
}

export const FlowContext = createContext<FlowContextValue | null>(null);

export function useFlow(): FlowContextValue {
  const v = useContext(FlowContext);
  if (!v) throw new Error('useFlow outside FlowApp');
  return v;
}
