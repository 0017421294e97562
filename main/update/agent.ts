// Runs the update decision against the real world through injected ports, so the loop is tested
// in plain Node and Electron only supplies the ports (main/electron/updater.ts wraps electron-updater).
// Also owns the persisted rollback state: read on start, written (durably) before every install.
import { promises as fsp } from 'node:fs';
import { writeFileDurably } from '../../lib/durableFile.ts';
import { createLogger } from '../../lib/log.ts';
import type { DailyWindow } from '../../lib/timeWindow.ts';
import { decideUpdate, type UpdateDecision } from './decide.ts';
import { initialUpdateState, nextUpdateState, type UpdateEffect, type UpdateEvent, type UpdateState } from './rollback.ts';
import { manifestVersion, verifyManifestSignature } from './signature.ts';

const log = createLogger('update');

/** latest-linux.yml as served and its Ed25519 signature (base64). */
export interface SignedManifest {
  manifest: Buffer;
  signature: string;
}

export interface UpdatePorts {
  /** latest-linux.yml and its .sig from the intake's update feed; null when there is no feed. */
  fetchManifest(): Promise<SignedManifest | null>;
  /**
   * electron-updater: download the offered version and check its sha512. `signed` is the manifest
   * that offered it, verified here: a deb booth keeps it beside the package for the root-side check.
   */
  download(version: string, signed: SignedManifest): Promise<void>;
  /** electron-updater: quitAndInstall(silent, forceRunAfter). Does not return in production. */
  install(version: string): Promise<void>;
  /** Reinstall the package kept from the previous version, then restart. */
  reinstallPrevious(version: string): Promise<void>;
  /** The start-up self-test of this version (core answers, database opens, start screen renders). */
  selfTest(): Promise<boolean>;
  sessionActive(): boolean;
  now(): number;
}

export interface UpdateConfig {
  currentVersion: string;
  publicKeyPem: string;
  quietHours: DailyWindow;
  timeZone: string;
  enabled: boolean;
  stateFile: string;
}

export async function loadUpdateState(file: string, currentVersion: string): Promise<UpdateState> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as UpdateState;
  } catch {
    return initialUpdateState(currentVersion);
  }
}

export class UpdateAgent {
  private state: UpdateState;
  private downloaded: string | null = null;
  private policy: { quietHours: DailyWindow; enabled: boolean };

  constructor(
    private readonly cfg: UpdateConfig,
    private readonly ports: UpdatePorts,
    state: UpdateState,
  ) {
    this.state = state;
    this.policy = { quietHours: cfg.quietHours, enabled: cfg.enabled };
  }

  /** Quiet hours and the on/off switch come from the back office and may change while running. */
  setPolicy(p: { quietHours: DailyWindow; enabled: boolean }): void {
    this.policy = p;
  }

  get current(): UpdateState {
    return this.state;
  }

  private async apply(e: UpdateEvent): Promise<UpdateEffect[]> {
    const r = nextUpdateState(this.state, e);
    this.state = r.state;
    await writeFileDurably(this.cfg.stateFile, Buffer.from(JSON.stringify(this.state)));
    for (const eff of r.effects) if (eff.type === 'log') log[eff.level](eff.message);
    return r.effects.filter((x) => x.type !== 'log');
  }

  /** Call once at start: verifies a freshly installed version, or finishes a rollback. */
  async onStart(): Promise<void> {
    let effects = await this.apply({ type: 'started', version: this.cfg.currentVersion });
    while (effects.length) {
      const next: UpdateEffect[] = [];
      for (const eff of effects) {
        if (eff.type === 'run-self-test') {
          const passed = await this.ports.selfTest().catch(() => false);
          next.push(...(await this.apply({ type: passed ? 'self-test-passed' : 'self-test-failed' })));
        } else if (eff.type === 'reinstall-previous') {
          await this.ports.reinstallPrevious(eff.version);
        }
      }
      effects = next;
    }
  }

  /** One round of the loop (every hour, and at the start of quiet hours). */
  async tick(): Promise<UpdateDecision> {
    let offered: { version: string; signatureValid: boolean; signed: SignedManifest } | null = null;
    const feed = await this.ports.fetchManifest().catch((e: unknown) => {
      log.warn({ err: e }, 'update feed not reachable');
      return null;
    });
    if (feed) {
      const version = manifestVersion(feed.manifest.toString('utf8'));
      if (version)
        offered = { version, signatureValid: verifyManifestSignature(feed.manifest, feed.signature, this.cfg.publicKeyPem), signed: feed };
    }
    const decision = decideUpdate({
      now: this.ports.now(),
      currentVersion: this.cfg.currentVersion,
      offered,
      rejectedVersions: this.state.rejected,
      downloadedVersion: this.downloaded,
      quietHours: this.policy.quietHours,
      timeZone: this.cfg.timeZone,
      sessionActive: this.ports.sessionActive(),
      enabled: this.policy.enabled,
    });
    if (decision.action === 'none' && decision.reason === 'unsigned')
      log.error({ version: offered?.version }, 'update manifest signature does not verify; ignored');
    if (decision.action === 'download') {
      // decideUpdate downloads only the version it was offered, with a valid signature.
      if (offered?.version !== decision.version) throw new Error(`download of ${decision.version} decided without its manifest`);
      await this.ports.download(decision.version, offered.signed);
      this.downloaded = decision.version;
    } else if (decision.action === 'install') {
      await this.apply({ type: 'install-started', from: this.cfg.currentVersion, to: decision.version });
      await this.ports.install(decision.version);
    }
    return decision;
  }
}
