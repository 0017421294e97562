// Enrolment as a service over two stores: the booth registry (code, village, location, revoked)
// and the enrolment codes (hash only). Credentials are issue 6's (intake/boothCredentials.ts),
// passed in as functions so this file does not care how they are stored.
import {
  CODE_VALIDITY_MS,
  decideRedeem,
  hashCode,
  newEnrolmentCode,
  normaliseCode,
  type EnrolmentRecord,
  type RedeemDecision,
} from './code.ts';

export interface BoothRecord {
  boothId: string;
  /** What staff call it: "FT01". */
  code: string;
  village: string;
  location: string;
  createdAt: number;
  revokedAt: number | null;
  enrolledAt: number | null;
}

export interface EnrolmentStore {
  getBooth(boothId: string): Promise<BoothRecord | undefined>;
  listBooths(): Promise<BoothRecord[]>;
  putBooth(b: BoothRecord): Promise<void>;
  /** Stores a code (by hash); older unused codes of the same booth are withdrawn. */
  putCode(codeHash: string, rec: EnrolmentRecord): Promise<void>;
  getCode(codeHash: string): Promise<EnrolmentRecord | undefined>;
  /** Marks the code used iff it is still unused (atomic: two booths racing with one code, one wins). */
  useCode(codeHash: string, at: number): Promise<boolean>;
}

export interface CredentialPort {
  issue(boothId: string, now: number): Promise<string>;
  revoke(boothId: string, now: number): Promise<void>;
}

import { BOOTH_CODE } from '../../lib/vocab.ts';

/** The booth's id everywhere (credentials, heartbeats, case numbers) is its code in capitals: FT01. */
export const boothIdFor = (code: string) => code.trim().toUpperCase();

export type AddBoothResult =
  { ok: true; booth: BoothRecord; enrolmentCode: string; expiresAt: number } | { ok: false; reason: 'bad-code' | 'exists' };

export class EnrolmentService {
  constructor(
    private readonly store: EnrolmentStore,
    private readonly credentials: CredentialPort,
    private readonly random?: (n: number) => Uint8Array,
  ) {}

  /** Admin: add a booth (or re-issue a code for one not enrolled / revoked) and get a one-time code. */
  async addBooth(input: { code: string; village: string; location: string }, now: number): Promise<AddBoothResult> {
    if (!BOOTH_CODE.test(boothIdFor(input.code))) return { ok: false, reason: 'bad-code' };
    const boothId = boothIdFor(input.code);
    const existing = await this.store.getBooth(boothId);
    if (existing && existing.enrolledAt !== null && existing.revokedAt === null) return { ok: false, reason: 'exists' };
    const booth: BoothRecord = {
      boothId,
      code: boothId,
      village: input.village,
      location: input.location,
      createdAt: existing?.createdAt ?? now,
      revokedAt: null,
      enrolledAt: null,
    };
    await this.store.putBooth(booth);
    return { ok: true, booth, ...(await this.newCode(boothId, now)) };
  }

  async newCode(boothId: string, now: number): Promise<{ enrolmentCode: string; expiresAt: number }> {
    const code = newEnrolmentCode(this.random);
    const expiresAt = now + CODE_VALIDITY_MS;
    await this.store.putCode(hashCode(code), { boothId, createdAt: now, expiresAt, usedAt: null, revoked: false });
    return { enrolmentCode: code, expiresAt };
  }

  /** Booth: exchange a code for the credential. Single use. */
  async redeem(
    input: string,
    now: number,
  ): Promise<{ ok: true; booth: BoothRecord; credential: string } | Extract<RedeemDecision, { ok: false }>> {
    const code = normaliseCode(input);
    if (!code) return { ok: false, reason: 'unknown' };
    const h = hashCode(code);
    const rec = await this.store.getCode(h);
    const booth = rec ? await this.store.getBooth(rec.boothId) : undefined;
    const d = decideRedeem(rec && booth?.revokedAt != null ? { ...rec, revoked: true } : rec, now);
    if (!d.ok) return d;
    if (!booth) return { ok: false, reason: 'unknown' };
    if (!(await this.store.useCode(h, now))) return { ok: false, reason: 'used' };
    const credential = await this.credentials.issue(booth.boothId, now);
    const enrolled = { ...booth, enrolledAt: now };
    await this.store.putBooth(enrolled);
    return { ok: true, booth: enrolled, credential };
  }

  async revoke(boothId: string, now: number): Promise<boolean> {
    const b = await this.store.getBooth(boothId);
    if (!b) return false;
    await this.store.putBooth({ ...b, revokedAt: now });
    await this.credentials.revoke(boothId, now);
    return true;
  }
}

export class MemoryEnrolmentStore implements EnrolmentStore {
  private booths = new Map<string, BoothRecord>();
  private codes = new Map<string, EnrolmentRecord>();
  async getBooth(id: string) {
    return this.booths.get(id);
  }
  async listBooths() {
    return [...this.booths.values()];
  }
  async putBooth(b: BoothRecord) {
    this.booths.set(b.boothId, { ...b });
  }
  async putCode(h: string, rec: EnrolmentRecord) {
    for (const r of this.codes.values()) if (r.boothId === rec.boothId && r.usedAt === null) r.revoked = true;
    this.codes.set(h, { ...rec });
  }
  async getCode(h: string) {
    const r = this.codes.get(h);
    return r ? { ...r } : undefined;
  }
  async useCode(h: string, at: number) {
    const r = this.codes.get(h);
    if (!r || r.usedAt !== null) return false;
    r.usedAt = at;
    return true;
  }
}
