// The kiosk page's per-boot token, remembered across restarts so a page left open while the core
// restarted can renew its token by itself (issue 14, a stale token). Only sha256 hashes of the last
// few boots' tokens are kept (keys/kiosk-tokens.json, 0600): the file cannot be turned back into a
// token. Renewing gives the page the current token, which is no more than the old token already
// opened; a token from before the kept boots, or one never issued, is refused.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Boots remembered: a page left open through a few quick restarts still comes back. */
const KEPT = 5;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class KioskTokenHistory {
  private hashes: string[];

  constructor(private readonly file: string) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      this.hashes = Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)) : [];
    } catch {
      this.hashes = []; // none yet, or unreadable: pages from earlier boots are refused and reloaded by the supervisor
    }
  }

  /** This boot's token joins the history (written atomically; a full disk only costs renewal). */
  remember(token: string): void {
    this.hashes = [...this.hashes.filter((h) => h !== hashOf(token)), hashOf(token)].slice(-KEPT);
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.partial`;
    writeFileSync(tmp, JSON.stringify(this.hashes), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  /** A token one of the remembered boots issued. */
  knows(token: string): boolean {
    return token !== '' && this.hashes.includes(hashOf(token));
  }
}
