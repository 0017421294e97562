// The booth registry, enrolment codes and back-office settings in the intake store (Kysely, so the
// same queries run on SQLite and Postgres). Implements the EnrolmentStore of intake/enrol/service.ts.
import type { Kysely } from 'kysely';
import type { EnrolmentRecord } from '../enrol/code.ts';
import type { BoothRecord, EnrolmentStore } from '../enrol/service.ts';
import type { BoothsTable, IntakeDatabase } from './schema.ts';

const toBooth = (r: BoothsTable): BoothRecord => ({
  boothId: r.booth_code,
  code: r.booth_code,
  village: r.village,
  location: r.location,
  createdAt: Number(r.created_at),
  enrolledAt: r.enrolled_at === null ? null : Number(r.enrolled_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

/** A booth as the fleet page lists it: registered through the fleet page (village and location
 *  known), or only holding a credential or only heard from (village and location null). */
export interface FleetBoothRecord extends Omit<BoothRecord, 'village' | 'location'> {
  village: string | null;
  location: string | null;
}

export class BoothStore implements EnrolmentStore {
  constructor(readonly db: Kysely<IntakeDatabase>) {}

  async getBooth(code: string): Promise<BoothRecord | undefined> {
    const r = await this.db.selectFrom('booths').selectAll().where('booth_code', '=', code).executeTakeFirst();
    return r && toBooth(r);
  }

  async listBooths(): Promise<BoothRecord[]> {
    return (await this.db.selectFrom('booths').selectAll().orderBy('booth_code').execute()).map(toBooth);
  }

  /**
   * Every booth the fleet must show: the registered ones, and those that only hold a credential
   * (`intake credential create`, the `npm start` booth's embedded one) or only sent heartbeats.
   * For those, "enrolled" is when the credential was issued (else the first heartbeat) and
   * "revoked" is the credential's revocation.
   */
  async listFleetBooths(): Promise<FleetBoothRecord[]> {
    const out = new Map<string, FleetBoothRecord>((await this.listBooths()).map((b) => [b.boothId, b]));
    const credentials = await this.db.selectFrom('booth_credentials').select(['booth_code', 'created_at', 'revoked_at']).execute();
    const heard = await this.db
      .selectFrom('booth_heartbeats')
      .select((eb) => ['booth_code', eb.fn.min('received_at').as('first')])
      .groupBy('booth_code')
      .execute();
    const add = (code: string, enrolledAt: number, revokedAt: number | null) => {
      if (!out.has(code))
        out.set(code, { boothId: code, code, village: null, location: null, createdAt: enrolledAt, enrolledAt, revokedAt });
    };
    for (const c of credentials) add(c.booth_code, Number(c.created_at), c.revoked_at === null ? null : Number(c.revoked_at));
    for (const h of heard) add(h.booth_code, Number(h.first), null);
    return [...out.values()].sort((a, b) => a.boothId.localeCompare(b.boothId));
  }

  async putBooth(b: BoothRecord): Promise<void> {
    const row: BoothsTable = {
      booth_code: b.boothId,
      village: b.village,
      location: b.location,
      created_at: b.createdAt,
      enrolled_at: b.enrolledAt,
      revoked_at: b.revokedAt,
    };
    await this.db
      .insertInto('booths')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('booth_code')
          .doUpdateSet({ village: row.village, location: row.location, enrolled_at: row.enrolled_at, revoked_at: row.revoked_at }),
      )
      .execute();
  }

  async putCode(codeHash: string, rec: EnrolmentRecord): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('enrolment_codes')
        .set({ withdrawn: 1 })
        .where('booth_code', '=', rec.boothId)
        .where('used_at', 'is', null)
        .execute();
      await trx
        .insertInto('enrolment_codes')
        .values({
          code_hash: codeHash,
          booth_code: rec.boothId,
          created_at: rec.createdAt,
          expires_at: rec.expiresAt,
          used_at: rec.usedAt,
          withdrawn: rec.revoked ? 1 : 0,
        })
        .execute();
    });
  }

  async getCode(codeHash: string): Promise<EnrolmentRecord | undefined> {
    const r = await this.db.selectFrom('enrolment_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    return (
      r && {
        boothId: r.booth_code,
        createdAt: Number(r.created_at),
        expiresAt: Number(r.expires_at),
        usedAt: r.used_at === null ? null : Number(r.used_at),
        revoked: Number(r.withdrawn) === 1,
      }
    );
  }

  /** One UPDATE … WHERE used_at IS NULL: of two booths racing with one code, exactly one changes a row. */
  async useCode(codeHash: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('enrolment_codes')
      .set({ used_at: at })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('withdrawn', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Settings JSON for a booth: its own override if any, else the default ('*'), else null. */
  async settingsFor(code: string): Promise<string | null> {
    const rows = await this.db.selectFrom('booth_settings').select(['scope', 'settings_json']).where('scope', 'in', [code, '*']).execute();
    return (rows.find((r) => r.scope === code) ?? rows.find((r) => r.scope === '*'))?.settings_json ?? null;
  }

  async putSettings(scope: string, json: string, now: number): Promise<void> {
    await this.db
      .insertInto('booth_settings')
      .values({ scope, settings_json: json, updated_at: now })
      .onConflict((oc) => oc.column('scope').doUpdateSet({ settings_json: json, updated_at: now }))
      .execute();
  }
}
