// Back-office settings on the booth: pulled from the intake at start and on every heartbeat tick
// (main/schedules.ts), validated with the intake's own schema (intake/contract.ts BoothSettings), applied only
// when they parse and are newer, kept on disk so a booth that starts offline uses the last good ones.
import { BoothSettings, DEFAULT_BOOTH_SETTINGS } from '../../contract/booth.ts';
import { createLogger } from '../../lib/log.ts';
import type { IntakeLink } from '../../uploader/intakeLink.ts';
import { readJson, techFiles, writeJson } from './files.ts';

const log = createLogger('settings');

export type PullResult =
  { applied: true; settings: BoothSettings } | { applied: false; reason: 'same' | 'older' | 'invalid' | 'unreachable' | 'refused' };

export class BoothSettingsStore {
  private current: BoothSettings = DEFAULT_BOOTH_SETTINGS;
  private listeners = new Set<(s: BoothSettings) => void>();

  constructor(private readonly dataDir: string) {}

  get value(): BoothSettings {
    return this.current;
  }

  async load(): Promise<BoothSettings> {
    const parsed = BoothSettings.safeParse(await readJson(techFiles(this.dataDir).settings).catch(() => undefined));
    if (parsed.success) this.current = parsed.data;
    return this.current;
  }

  /** Consumers that cannot read `value` on every use (timers) are told of changes here. */
  onChange(fn: (s: BoothSettings) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Offers run one at a time: the check "newer than what the booth has" and the write that makes
   *  it so must not interleave (a slow pull at start would otherwise overwrite a newer offer). */
  private queue: Promise<unknown> = Promise.resolve();

  /** Applies settings that parsed; refuses anything not newer than what the booth has. */
  offer(raw: unknown): Promise<PullResult> {
    const run = this.queue.then(() => this.applyOne(raw));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyOne(raw: unknown): Promise<PullResult> {
    const parsed = BoothSettings.safeParse(raw);
    if (!parsed.success) {
      log.error({ issues: parsed.error.issues.length }, 'settings from the back office do not validate; keeping the last good ones');
      return { applied: false, reason: 'invalid' };
    }
    // The status page's address is the intake's own setting, not the admin's revision: a moved
    // intake (INTAKE_PUBLIC_URL) reaches booths at the same revision.
    const sameRevision = parsed.data.revision === this.current.revision && this.current !== DEFAULT_BOOTH_SETTINGS;
    if (sameRevision && parsed.data.statusBaseUrl === this.current.statusBaseUrl) return { applied: false, reason: 'same' };
    if (parsed.data.revision < this.current.revision) return { applied: false, reason: 'older' };
    await writeJson(techFiles(this.dataDir).settings, parsed.data);
    this.current = parsed.data;
    log.info({ revision: parsed.data.revision }, 'settings applied');
    for (const fn of this.listeners) fn(parsed.data);
    return { applied: true, settings: parsed.data };
  }

  /** Pulls over the booth's link to the intake (its address, credential and CA). `signal` lets the
   *  owner abort a pull in flight (the core closing); an aborted pull changes nothing. */
  async pull(link: IntakeLink, signal?: AbortSignal): Promise<PullResult> {
    const answer = await link.settings(signal);
    if (signal?.aborted) return { applied: false, reason: 'unreachable' };
    if (answer.kind === 'refused') return { applied: false, reason: 'refused' };
    if (answer.kind === 'unreachable') return { applied: false, reason: 'unreachable' };
    return this.offer(answer.body);
  }
}
