// The kiosk page's last sign of life on one booth core (POST /api/kiosk/alive, server.ts; held as
// core.presence), read by the window supervisor (main/kiosk/supervisor.ts) for hang detection and,
// through atStart, for "is a resident using the booth" before a nightly restart.

export class KioskPresence {
  lastPingAt: number | null = null;
  /** The page said it shows the start screen (nobody is recording, reviewing or in the service screen). */
  atStart = true;
  private readonly listeners = new Set<() => void>();

  ping(atStart: boolean, now: number): void {
    this.lastPingAt = now;
    this.atStart = atStart;
    for (const l of this.listeners) l();
  }

  onPing(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
