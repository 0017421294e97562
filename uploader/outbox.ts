// The outbox: commit a submission (the moment the booth promises the resident), and the queries
// the upload worker and the technician tools need. Every state change goes through nextState.
import type Database from 'better-sqlite3';
import type { CameraRole, CaptureKind, Language, OutboxState } from '../lib/vocab.ts';
import { compactLocalDate } from '../lib/time.ts';
import { nextState, type OutboxEvent } from './state.ts';

export interface OutboxItem {
  idx: number;
  itemId: string;
  kind: CaptureKind;
  mime: string;
  camera: CameraRole | null;
  /** Relative to the media directory. */
  file: string;
  size: number;
  sha256: string;
  durationSec: number | null;
  acked: boolean;
  /** The tus upload URL of this item at the intake, stored before any byte is sent. */
  uploadUrl: string | null;
}

export interface SubmissionDetails {
  category: string | null;
  location: string | null;
}

export interface NewSubmission {
  id: string;
  boothCode: string;
  language: Language;
  startedAt: string;
  details: SubmissionDetails;
  personalSealed: Buffer | null;
  items: Omit<OutboxItem, 'acked' | 'uploadUrl'>[];
}

export interface OutboxRow {
  id: string;
  caseNumber: string;
  boothCode: string;
  language: Language;
  startedAt: string;
  savedAt: string;
  state: OutboxState;
  attempts: number;
  /** Consecutive failed attempts without progress (the backoff's exponent; reset after progress). */
  failures: number;
  nextAttemptAt: number;
  lastError: string | null;
  permanentError: boolean;
  deliveredAt: string | null;
  details: SubmissionDetails;
  personalSealed: Buffer | null;
  /** The resident's short number (8 digits, from an intake block), or null when the booth had none. */
  residentNumber: string | null;
  /** What the intake filed it under, when that differs from the receipt (shown to technicians). */
  intakeCaseNumber: string | null;
  intakeResidentNumber: string | null;
}

/** What the intake, the authority for this booth's numbers, says at enrolment and in every heartbeat answer. */
export interface NumberAuthority {
  /** Per booth-local day (YYYYMMDD), the highest sequence the intake knows for this booth. */
  caseSequence: Record<string, number>;
  /** A new block of resident numbers for this booth, when it asked for one. */
  residentBlock: { start: number; size: number } | null;
  /** Per block start, the highest resident number the intake holds: numbers up to it are not handed out again. */
  residentUsed?: Record<string, number>;
}

/** The booth numbers up to this sequence per day; 9000–9999 are the intake's (numbers it files a clash under). */
export const BOOTH_SEQUENCE_MAX = 8999;

interface RawRow {
  id: string;
  case_number: string;
  booth_code: string;
  language: string;
  started_at: string;
  saved_at: string;
  state: string;
  attempts: number;
  failures: number;
  next_attempt_at: number;
  last_error: string | null;
  permanent_error: number;
  delivered_at: string | null;
  details_json: string;
  personal_sealed: Buffer | null;
  resident_number: string | null;
  intake_case_number: string | null;
  intake_resident_number: string | null;
}

const toRow = (r: RawRow): OutboxRow => ({
  id: r.id,
  caseNumber: r.case_number,
  boothCode: r.booth_code,
  language: r.language as Language,
  startedAt: r.started_at,
  savedAt: r.saved_at,
  state: r.state as OutboxState,
  attempts: r.attempts,
  failures: r.failures,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  permanentError: r.permanent_error === 1,
  deliveredAt: r.delivered_at,
  details: JSON.parse(r.details_json) as SubmissionDetails,
  personalSealed: r.personal_sealed,
  residentNumber: r.resident_number,
  intakeCaseNumber: r.intake_case_number,
  intakeResidentNumber: r.intake_resident_number,
});

export interface OutboxSummary {
  waiting: number;
  failed: number;
  delivered: number;
  oldestWaitingSavedAt: string | null;
  lastError: string | null;
}

type CommitResult = { caseNumber: string; savedAt: string; residentNumber: string | null };
type CommitStatements = Record<
  'existing' | 'nextSequence' | 'insertSubmission' | 'insertItem' | 'nextBlock' | 'takeFromBlock',
  Database.Statement
> & { commit: (sub: NewSubmission, day: string, savedAt: string) => CommitResult };

export class Outbox {
  /**
   * Wiped identity may still sit in booth.db-wal (and in booth.db's old page) until a checkpoint.
   * True until this process checkpointed once: a power cut between a wipe and its checkpoint leaves
   * the WAL behind, and the first retention sweep after boot scrubs it.
   */
  private scrubPending = true;
  private statements: CommitStatements | undefined;
  /** Every other statement, compiled on first use (the worker and the technician tools call them again and again). */
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly timeZone: string,
  ) {}

  /**
   * Commits the submission and allocates its case number in one transaction. The media files
   * must already be durable under their final names. Returns the case number for the receipt.
   */
  commit(sub: NewSubmission, nowMs: number): CommitResult {
    return this.commitStatements().commit(sub, compactLocalDate(nowMs, this.timeZone), new Date(nowMs).toISOString());
  }

  private commitTransaction(st: Omit<CommitStatements, 'commit'>): CommitStatements['commit'] {
    return this.db.transaction((sub: NewSubmission, day: string, savedAt: string) => {
      const existing = st.existing.get(sub.id) as { case_number: string; saved_at: string; resident_number: string | null } | undefined;
      if (existing) return { caseNumber: existing.case_number, savedAt: existing.saved_at, residentNumber: existing.resident_number }; // a double tap
      // case_sequence holds the larger of what this booth issued and what the intake says it holds
      // (applyAuthority), so a re-imaged or restored booth numbers from above the intake's mark.
      const seq = st.nextSequence.get(day) as { last: number };
      if (seq.last > BOOTH_SEQUENCE_MAX) throw new Error(`more than ${BOOTH_SEQUENCE_MAX} submissions in one day`);
      const caseNumber = `${sub.boothCode}-${day}-${String(seq.last).padStart(4, '0')}`;
      const residentNumber = this.takeResidentNumber();
      st.insertSubmission.run(
        sub.id,
        caseNumber,
        sub.boothCode,
        sub.language,
        sub.startedAt,
        savedAt,
        JSON.stringify(sub.details),
        sub.personalSealed,
        residentNumber,
      );
      for (const it of sub.items) {
        st.insertItem.run(sub.id, it.idx, it.itemId, it.kind, it.mime, it.camera, it.file, it.size, it.sha256, it.durationSec);
      }
      return { caseNumber, savedAt, residentNumber };
    });
  }

  private prepare(sql: string): Database.Statement {
    let st = this.prepared.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.prepared.set(sql, st);
    }
    return st;
  }

  /**
   * The statements of commit and its transaction, made once per outbox: compiling five statements
   * on every commit cost more than SQLite's own work for the transaction (bench/submit.ts, commits
   * per second), and better-sqlite3 builds four wrapper functions for each db.transaction().
   */
  private commitStatements(): CommitStatements {
    if (this.statements) return this.statements;
    const st = {
      existing: this.db.prepare('SELECT case_number, saved_at, resident_number FROM submissions WHERE id = ?'),
      nextSequence: this.db.prepare(
        'INSERT INTO case_sequence (day, last) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last',
      ),
      insertSubmission: this.db.prepare(
        `INSERT INTO submissions (id, case_number, booth_code, language, started_at, saved_at, state, next_attempt_at, details_json, personal_sealed, resident_number)
         VALUES (?, ?, ?, ?, ?, ?, 'saved', 0, ?, ?, ?)`,
      ),
      insertItem: this.db.prepare(
        `INSERT INTO submission_items (submission_id, idx, item_id, kind, mime, camera, file, size, sha256, duration_sec)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      nextBlock: this.db.prepare('SELECT start, size, next FROM resident_blocks WHERE next < start + size ORDER BY start LIMIT 1'),
      takeFromBlock: this.db.prepare('UPDATE resident_blocks SET next = next + 1 WHERE start = ?'),
    };
    this.statements = { ...st, commit: this.commitTransaction(st) };
    return this.statements;
  }

  /** The next resident number from the oldest block with numbers left (inside commit's transaction). */
  private takeResidentNumber(): string | null {
    const st = this.commitStatements();
    const block = st.nextBlock.get() as { start: number; size: number; next: number } | undefined;
    if (!block) return null;
    st.takeFromBlock.run(block.start);
    return String(block.next).padStart(8, '0');
  }

  /**
   * Copies the WAL into booth.db when no transaction is open (PASSIVE: never waits for a reader).
   * The booth runs it from the retention sweep (every 30 s), so a commit at 立即上传 does not pay for
   * a checkpoint (openBoothDb raises SQLite's automatic one to a bound the sweeps keep the WAL far
   * below). Durability does not depend on it: every commit is fsynced in the WAL (synchronous=FULL).
   */
  checkpoint(): void {
    if (!this.db.inTransaction) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** Resident numbers still unused in the blocks this booth holds (the heartbeat asks for more when low). */
  residentNumbersLeft(): number {
    const r = this.prepare('SELECT COALESCE(SUM(start + size - next), 0) AS n FROM resident_blocks').get() as { n: number };
    return r.n;
  }

  /** Takes in the intake's high-water marks and a new resident block (enrolment, heartbeat answer). */
  applyAuthority(a: NumberAuthority, nowMs: number): void {
    this.db.transaction(() => {
      const mark = this.prepare(
        'INSERT INTO case_sequence (day, last) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET last = max(last, excluded.last)',
      );
      for (const [day, last] of Object.entries(a.caseSequence)) mark.run(day, last);
      if (a.residentBlock) {
        this.prepare('INSERT OR IGNORE INTO resident_blocks (start, size, next, received_at) VALUES (?, ?, ?, ?)').run(
          a.residentBlock.start,
          a.residentBlock.size,
          a.residentBlock.start,
          nowMs,
        );
      }
      const skip = this.prepare('UPDATE resident_blocks SET next = max(next, min(? + 1, start + size)) WHERE start = ?');
      for (const [start, used] of Object.entries(a.residentUsed ?? {})) skip.run(used, Number(start));
    })();
  }

  /** The numbers the intake filed a submission under, when they differ from the receipt's. */
  recordIntakeNumbers(id: string, caseNumber: string | null, residentNumber: string | null): void {
    this.prepare('UPDATE submissions SET intake_case_number = ?, intake_resident_number = ? WHERE id = ?').run(
      caseNumber,
      residentNumber,
      id,
    );
  }

  get(id: string): OutboxRow | null {
    const r = this.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  byCaseNumber(caseNumber: string): OutboxRow | null {
    const r = this.prepare('SELECT * FROM submissions WHERE case_number = ?').get(caseNumber) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  items(id: string): OutboxItem[] {
    const rows = this.prepare('SELECT * FROM submission_items WHERE submission_id = ? ORDER BY idx').all(id) as {
      idx: number;
      item_id: string;
      kind: CaptureKind;
      mime: string;
      camera: CameraRole | null;
      file: string;
      size: number;
      sha256: string;
      duration_sec: number | null;
      acked: number;
      upload_url: string | null;
    }[];
    return rows.map((r) => ({
      idx: r.idx,
      itemId: r.item_id,
      kind: r.kind,
      mime: r.mime,
      camera: r.camera,
      file: r.file,
      size: r.size,
      sha256: r.sha256,
      durationSec: r.duration_sec,
      acked: r.acked === 1,
      uploadUrl: r.upload_url,
    }));
  }

  /** Oldest first: saved rows, and failed rows whose next attempt is due (permanent ones wait for a technician). */
  due(nowMs: number, limit: number): OutboxRow[] {
    const rows = this.prepare(
      `SELECT * FROM submissions
         WHERE (state = 'saved' OR (state = 'failed' AND permanent_error = 0)) AND next_attempt_at <= ?
         ORDER BY saved_at, id LIMIT ?`,
    ).all(nowMs, limit) as RawRow[];
    return rows.map(toRow);
  }

  /** Earliest next attempt among waiting rows, for the worker's sleep. */
  nextWakeAt(): number | null {
    const r = this.prepare(
      `SELECT MIN(next_attempt_at) AS t FROM submissions WHERE state = 'saved' OR (state = 'failed' AND permanent_error = 0)`,
    ).get() as { t: number | null };
    return r.t;
  }

  list(limit = 200): OutboxRow[] {
    return (this.prepare('SELECT * FROM submissions ORDER BY saved_at DESC LIMIT ?').all(limit) as RawRow[]).map(toRow);
  }

  summary(): OutboxSummary {
    const counts = this.prepare('SELECT state, COUNT(*) AS n FROM submissions GROUP BY state').all() as {
      state: OutboxState;
      n: number;
    }[];
    const n = (s: OutboxState) => counts.find((c) => c.state === s)?.n ?? 0;
    const oldest = this.prepare(`SELECT MIN(saved_at) AS t FROM submissions WHERE state IN ('saved', 'uploading', 'failed')`).get() as {
      t: string | null;
    };
    const last = this.prepare(`SELECT last_error FROM submissions WHERE state = 'failed' ORDER BY next_attempt_at DESC LIMIT 1`).get() as
      { last_error: string | null } | undefined;
    return {
      waiting: n('saved') + n('uploading') + n('failed'),
      failed: n('failed'),
      delivered: n('delivered') + n('purged'),
      oldestWaitingSavedAt: oldest.t,
      lastError: last?.last_error ?? null,
    };
  }

  markItemAcked(id: string, idx: number): void {
    this.setItemAcked(id, idx, true);
  }

  setItemAcked(id: string, idx: number, acked: boolean): void {
    this.prepare('UPDATE submission_items SET acked = ? WHERE submission_id = ? AND idx = ?').run(acked ? 1 : 0, id, idx);
  }

  /** Applies an event through nextState; throws on a transition the machine does not allow. */
  transition(
    id: string,
    event: OutboxEvent,
    patch: { lastError?: string | null; nextAttemptAt?: number; failures?: number; nowMs?: number } = {},
  ): OutboxRow {
    const updated = this.db.transaction(() => {
      const row = this.get(id);
      if (!row) throw new Error(`no submission ${id}`);
      const t = nextState(row.state, event);
      if (!t.ok) throw new Error(t.reason);
      const now = patch.nowMs ?? Date.now();
      this.prepare(
        `UPDATE submissions SET state = ?,
             attempts = attempts + ?,
             failures = COALESCE(?, failures),
             last_error = CASE WHEN ? THEN ? ELSE last_error END,
             next_attempt_at = COALESCE(?, next_attempt_at),
             permanent_error = ?,
             delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END,
             personal_sealed = CASE WHEN ? = 'delivered' THEN NULL ELSE personal_sealed END
           WHERE id = ?`,
      ).run(
        t.state,
        event.type === 'claim' ? 1 : 0,
        patch.failures ?? null,
        patch.lastError !== undefined ? 1 : 0,
        patch.lastError ?? null,
        patch.nextAttemptAt ?? (event.type === 'retryNow' ? 0 : null),
        event.type === 'fail' && event.permanent ? 1 : 0,
        t.state,
        new Date(now).toISOString(),
        t.state,
        id,
      );
      return { row: this.get(id)!, wiped: t.state === 'delivered' && row.personalSealed !== null };
    })();
    // Identity is deleted within a minute of delivery: at once, from the files too.
    if (updated.wiped) this.scrubWiped();
    return updated.row;
  }

  /** Stores (or clears) an item's tus upload URL. */
  setUploadUrl(id: string, idx: number, url: string | null): void {
    this.prepare('UPDATE submission_items SET upload_url = ? WHERE submission_id = ? AND idx = ?').run(url, id, idx);
  }

  /** Media bytes of everything not yet delivered (for the heartbeat). */
  bytesWaiting(): number {
    const r = this.prepare(
      `SELECT COALESCE(SUM(i.size), 0) AS n FROM submission_items i JOIN submissions s ON s.id = i.submission_id
         WHERE s.state IN ('saved', 'uploading', 'failed')`,
    ).get() as { n: number };
    return r.n;
  }

  /** What the retention plan needs: delivered rows that still hold identity or media. */
  retentionRows(): { submissionId: string; delivered: boolean; deliveredAt: number | null; hasIdentity: boolean; hasMedia: boolean }[] {
    const rows = this.prepare(
      `SELECT id, delivered_at, personal_sealed IS NOT NULL AS has_identity FROM submissions WHERE state = 'delivered'`,
    ).all() as { id: string; delivered_at: string | null; has_identity: number }[];
    return rows.map((r) => ({
      submissionId: r.id,
      delivered: true,
      deliveredAt: r.delivered_at ? Date.parse(r.delivered_at) : null,
      hasIdentity: r.has_identity === 1,
      hasMedia: true,
    }));
  }

  /** Drops the sealed personal data of a delivered row (normally done by the `delivered` transition). */
  wipePersonal(id: string): void {
    const r = this.prepare(
      `UPDATE submissions SET personal_sealed = NULL WHERE id = ? AND state IN ('delivered', 'purged') AND personal_sealed IS NOT NULL`,
    ).run(id);
    if (r.changes > 0) this.scrubWiped();
  }

  /**
   * Makes wiped identity unreadable from the files. secure_delete zeroes the freed bytes in the
   * page SQLite writes next, but in WAL mode that page goes to booth.db-wal while the old page (the
   * sealed block included) stays in booth.db, with older copies in earlier WAL frames, until a
   * checkpoint: hours on an idle booth. A TRUNCATE checkpoint copies the zeroed pages into booth.db
   * and empties the WAL file. Returns false when a reader (the `booth queue` CLI, say) kept it from
   * finishing; the retention sweep then tries again (`scrubIfPending`).
   */
  scrubWiped(): boolean {
    if (this.db.inTransaction) {
      this.scrubPending = true;
      return false;
    }
    let r: { busy: number; log: number; checkpointed: number } | undefined;
    try {
      [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    } catch {
      // booth.db cannot grow (a full disk: SQLITE_FULL): the change itself is committed; the
      // retention sweep checkpoints again (scrubIfPending).
      r = undefined;
    }
    this.scrubPending = r === undefined || r.busy !== 0;
    return !this.scrubPending;
  }

  /** The retention sweep's retry of a checkpoint that could not finish (or the first after boot). */
  scrubIfPending(): boolean {
    return this.scrubPending ? this.scrubWiped() : true;
  }

  /** The credential changed (a booth enrolled or re-enrolled): everything still queued, including
   *  rows parked after a refused credential, is due now instead of at its backoff time. */
  retryAllNow(nowMs: number): number {
    return this.prepare(
      `UPDATE submissions SET next_attempt_at = ? WHERE (state = 'saved' OR (state = 'failed' AND permanent_error = 0)) AND next_attempt_at > ?`,
    ).run(nowMs, nowMs).changes;
  }

  /** At boot: rows a power cut left "uploading" go back to the queue. */
  requeueInterrupted(): number {
    const ids = this.prepare(`SELECT id FROM submissions WHERE state = 'uploading'`).all() as { id: string }[];
    for (const { id } of ids) this.transition(id, { type: 'boot' });
    return ids.length;
  }

  /** Every media file the outbox refers to (relative paths), for the orphan sweep. */
  referencedSubmissionIds(): Set<string> {
    return new Set((this.prepare('SELECT id FROM submissions').all() as { id: string }[]).map((r) => r.id));
  }
}
