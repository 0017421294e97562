// The intake as the authority for each booth's numbers (docs/DELIVERY.md "Numbers"):
// - the high-water marks a booth numbers above (enrolment answer, every heartbeat answer);
// - blocks of resident numbers (issue 18), never handed out twice;
// - on arrival, the numbers a case is filed under: the booth's when free, else unique ones, the
//   booth's kept as an alias and an alert recorded for the fleet view. Never a refusal.
import type { Kysely } from 'kysely';
import { RESIDENT_BLOCK, type NumberAuthority } from '../../contract/booth.ts';
import type { IntakeDatabase } from './schema.ts';

/** Resident numbers are 8 digits from here up (no leading zero to lose when written down). */
export const RESIDENT_FIRST = 10_000_000;
const RESIDENT_LAST = 99_999_999;
/** The intake's own blocks (numbers it assigns on arrival) are recorded under this name. */
const INTAKE_OWNER = '*intake*';
/** A booth numbers 0001–8999 per day; the intake files clashes under 9999, 9998, … */
const INTAKE_SEQ_TOP = 9999;
const BOOTH_SEQ_MAX = 8999;
const MARK_DAYS = 60;

type Db = Kysely<IntakeDatabase>;

export interface FiledNumbers {
  caseNumber: string;
  residentNumber: string;
  /** The booth's case number when the case is filed under another one. */
  alias: string | null;
  /** The receipt's resident number when the case got another one (kept findable, issue 18). */
  residentAlias: string | null;
  /** For the fleet view: what was changed and why (no personal data). */
  alerts: string[];
}

export class NumberStore {
  constructor(readonly db: Db) {}

  /** Per booth-local day, the highest sequence this booth's numbers reached (cases and aliases of the last 60 days). */
  async marks(boothCode: string, nowMs: number): Promise<Record<string, number>> {
    const since = new Date(nowMs - MARK_DAYS * 86_400_000);
    const sinceIso = since.toISOString();
    const cases = await this.db
      .selectFrom('cases')
      .select('case_number')
      .where('booth_code', '=', boothCode)
      .where('received_at', '>=', sinceIso)
      .execute();
    const aliases = await this.db
      .selectFrom('case_number_aliases')
      .select('alias')
      .where('booth_code', '=', boothCode)
      .where('kind', '=', 'case')
      .where('created_at', '>=', since.getTime())
      .execute();
    const out: Record<string, number> = {};
    const pattern = /^([A-Z0-9]{2,8})-(\d{8})-(\d{4})$/;
    for (const n of [...cases.map((c) => c.case_number), ...aliases.map((a) => a.alias)]) {
      const m = pattern.exec(n);
      if (!m || m[1] !== boothCode) continue;
      const seq = Number(m[3]);
      if (seq > BOOTH_SEQ_MAX) continue; // the intake's own numbers
      out[m[2]!] = Math.max(out[m[2]!] ?? 0, seq);
    }
    return out;
  }

  /** A new block of resident numbers for `owner`; blocks follow each other and are never reused. */
  async issueBlock(owner: string, nowMs: number, size: number = RESIDENT_BLOCK.size): Promise<{ start: number; size: number }> {
    for (let attempt = 0; ; attempt++) {
      const top = await this.db
        .selectFrom('resident_number_blocks')
        .select((eb) => eb.fn.max(eb(eb.ref('start'), '+', eb.ref('size'))).as('end'))
        .executeTakeFirst();
      const start = Math.max(RESIDENT_FIRST, Number(top?.end ?? RESIDENT_FIRST));
      if (start + size - 1 > RESIDENT_LAST) throw new Error('resident numbers exhausted');
      try {
        await this.db.insertInto('resident_number_blocks').values({ start, size, booth_code: owner, issued_at: nowMs }).execute();
        return { start, size };
      } catch (e) {
        if (attempt >= 5) throw e; // another process took the same start: try the next one
      }
    }
  }

  /** What the enrolment answer and every heartbeat answer carry. */
  async authority(boothCode: string, nowMs: number, residentNumbersLeft: number | null): Promise<NumberAuthority> {
    const caseSequence = await this.marks(boothCode, nowMs);
    const residentBlock =
      residentNumbersLeft !== null && residentNumbersLeft < RESIDENT_BLOCK.askBelow ? await this.issueBlock(boothCode, nowMs) : null;
    return { caseSequence, residentBlock, residentUsed: await this.residentUsed(boothCode) };
  }

  /** For the booth's five newest blocks, the highest resident number a case holds (a restored booth skips past it). */
  private async residentUsed(boothCode: string): Promise<Record<string, number>> {
    const blocks = await this.db
      .selectFrom('resident_number_blocks')
      .select(['start', 'size'])
      .where('booth_code', '=', boothCode)
      .orderBy('start', 'desc')
      .limit(5)
      .execute();
    const out: Record<string, number> = {};
    for (const b of blocks) {
      const start = Number(b.start);
      const top = await this.db
        .selectFrom('cases')
        .select((eb) => eb.fn.max('resident_number').as('top'))
        .where('resident_number', '>=', String(start))
        .where('resident_number', '<=', String(start + Number(b.size) - 1))
        .executeTakeFirst();
      if (top?.top) out[String(start)] = Number(top.top);
    }
    return out;
  }

  /** The numbers a new case is filed under (inside the ingest, before its transaction). */
  async file(boothCode: string, wantedCase: string, wantedResident: string | null, nowMs: number): Promise<FiledNumbers> {
    const alerts: string[] = [];
    let caseNumber = wantedCase;
    let alias: string | null = null;
    if (await this.caseNumberTaken(wantedCase)) {
      caseNumber = await this.freeIntakeCaseNumber(wantedCase);
      alias = wantedCase;
      alerts.push(
        `case number ${wantedCase} was already held by another case: filed as ${caseNumber} (the booth's number is kept as an alias; the booth's sequence was behind the intake's — restored backup or re-imaged)`,
      );
    }
    let residentNumber = wantedResident;
    let residentAlias: string | null = null;
    if (residentNumber !== null) {
      const owner = await this.blockOwner(Number(residentNumber));
      const taken = await this.residentNumberTaken(residentNumber);
      if (owner !== boothCode || taken) {
        alerts.push(
          `resident number ${residentNumber} ${taken ? 'was already held by another case' : 'is not from a block issued to this booth'}: the case got another one`,
        );
        residentAlias = residentNumber;
        residentNumber = null;
      }
    }
    residentNumber ??= await this.intakeResidentNumber(nowMs);
    return { caseNumber, residentNumber, alias, residentAlias, alerts };
  }

  /** Keeps the numbers the receipt shows findable when the case was filed under others (in the case's transaction). */
  async recordAliases(db: Db, caseId: string, boothCode: string, filed: FiledNumbers, nowMs: number): Promise<void> {
    const rows = [
      ...(filed.alias ? [{ alias: filed.alias, kind: 'case' as const }] : []),
      ...(filed.residentAlias ? [{ alias: filed.residentAlias, kind: 'resident' as const }] : []),
    ];
    for (const r of rows) {
      await db
        .insertInto('case_number_aliases')
        .values({ ...r, case_id: caseId, booth_code: boothCode, created_at: nowMs })
        .execute();
    }
  }

  async recordAlert(db: Db, boothCode: string, kind: string, message: string, nowMs: number): Promise<void> {
    await db.insertInto('intake_alerts').values({ booth_code: boothCode, kind, message, created_at: nowMs }).execute();
  }

  async alertsFor(boothCode: string, sinceMs: number): Promise<{ kind: string; message: string; createdAt: number }[]> {
    const rows = await this.db
      .selectFrom('intake_alerts')
      .selectAll()
      .where('booth_code', '=', boothCode)
      .where('created_at', '>=', sinceMs)
      .orderBy('created_at', 'desc')
      .limit(20)
      .execute();
    return rows.map((r) => ({ kind: r.kind, message: r.message, createdAt: Number(r.created_at) }));
  }

  /** The case a resident number (or a case number, or an alias) belongs to. */
  async caseIdFor(number: string): Promise<string | null> {
    const byResident = await this.db.selectFrom('cases').select('id').where('resident_number', '=', number).executeTakeFirst();
    if (byResident) return byResident.id;
    const byCase = await this.db.selectFrom('cases').select('id').where('case_number', '=', number).executeTakeFirst();
    if (byCase) return byCase.id;
    const byAlias = await this.db
      .selectFrom('case_number_aliases')
      .select('case_id')
      .where('alias', '=', number)
      .orderBy('created_at')
      .executeTakeFirst();
    return byAlias?.case_id ?? null;
  }

  private async caseNumberTaken(n: string): Promise<boolean> {
    return (await this.db.selectFrom('cases').select('id').where('case_number', '=', n).executeTakeFirst()) !== undefined;
  }

  private async residentNumberTaken(n: string): Promise<boolean> {
    return (await this.db.selectFrom('cases').select('id').where('resident_number', '=', n).executeTakeFirst()) !== undefined;
  }

  private async blockOwner(n: number): Promise<string | null> {
    const b = await this.db
      .selectFrom('resident_number_blocks')
      .select(['booth_code', 'start', 'size'])
      .where('start', '<=', n)
      .orderBy('start', 'desc')
      .executeTakeFirst();
    return b && n < Number(b.start) + Number(b.size) ? b.booth_code : null;
  }

  /** BOOTH-DAY-9999, -9998, …: numbers the booth itself never issues. */
  private async freeIntakeCaseNumber(wanted: string): Promise<string> {
    const prefix = wanted.slice(0, wanted.lastIndexOf('-') + 1);
    for (let seq = INTAKE_SEQ_TOP; seq > BOOTH_SEQ_MAX; seq--) {
      const candidate = `${prefix}${seq}`;
      if (!(await this.caseNumberTaken(candidate))) return candidate;
    }
    throw new Error('no free intake case number left for this booth and day');
  }

  /** The next unused number of the intake's own blocks (a new block when they are used up). */
  private async intakeResidentNumber(nowMs: number): Promise<string> {
    const blocks = await this.db
      .selectFrom('resident_number_blocks')
      .selectAll()
      .where('booth_code', '=', INTAKE_OWNER)
      .orderBy('start', 'desc')
      .limit(1)
      .execute();
    let block = blocks[0] ? { start: Number(blocks[0].start), size: Number(blocks[0].size) } : await this.issueBlock(INTAKE_OWNER, nowMs);
    for (;;) {
      const first = String(block.start);
      const last = String(block.start + block.size - 1);
      const used = await this.db
        .selectFrom('cases')
        .select((eb) => eb.fn.max('resident_number').as('top'))
        .where('resident_number', '>=', first)
        .where('resident_number', '<=', last)
        .executeTakeFirst();
      const next = used?.top ? Number(used.top) + 1 : block.start;
      if (next < block.start + block.size) return String(next);
      block = await this.issueBlock(INTAKE_OWNER, nowMs);
    }
  }
}
