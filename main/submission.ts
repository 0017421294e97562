// The resident's 立即上传 and 返回 as the running core does them: a confirmed card read is checked
// against the contract and sealed to the intake's key, the session is staged into the outbox
// (submit.ts), then the session and the read are forgotten and the upload worker is woken.
import type { KeyObject } from 'node:crypto';
import type { Receipt } from '../contract/kiosk.ts';
import { SealedIdentityRecord } from '../contract/identity.ts';
import { sealIdentity, type SealedIdentity } from '../lib/identitySeal.ts';
import { createLogger } from '../lib/log.ts';
import { BoothError } from './api/errors.ts';
import type { SubmitDetails } from './api/sessionRoutes.ts';
import type { RealNameService } from './realname.ts';
import type { SessionStore } from './sessions.ts';
import { submitSession, type SubmitDeps } from './submit.ts';

const log = createLogger('core');

/** The card read sealed to the intake's key, bound to the session. Pure: a record that does not fit
 *  the contract (the intake parses the same schema after opening it) is not sealed. */
export function sealRealName(record: unknown, key: KeyObject, sessionId: string): SealedIdentity {
  const checked = SealedIdentityRecord.safeParse(record);
  if (!checked.success) {
    log.warn({ fields: checked.error.issues.map((i) => i.path.join('.')) }, 'real-name record does not fit the contract; not sealed');
    throw new BoothError('realname_expired', 'the card could not be read completely; read the card again');
  }
  return sealIdentity(Buffer.from(JSON.stringify(checked.data), 'utf8'), key, sessionId);
}

export interface SubmissionDeps {
  sessions: Pick<SessionStore, 'get' | 'close'>;
  realname: Pick<RealNameService, 'identityFor' | 'forgetAll'>;
  intakeKey: () => Promise<KeyObject | null>;
  /** The outbox and what the staging needs, read at each submission (booth code and settings may change). */
  staging: () => SubmitDeps;
  /** After a save: wake the worker, tell the kiosk the new status. */
  onSaved: () => void;
}

export class Submissions {
  constructor(private readonly d: SubmissionDeps) {}

  async submit(sessionId: string, details: SubmitDetails): Promise<Receipt> {
    const session = this.d.sessions.get(sessionId);
    const { realnameRef, ...rest } = details;
    let identity = null;
    if (realnameRef) {
      const record = this.d.realname.identityFor(realnameRef);
      const key = await this.d.intakeKey();
      if (!record || !key) throw new BoothError('realname_expired', 'the real-name read is no longer held; read the card again');
      identity = sealRealName(record, key, session.id);
    }
    const receipt = await submitSession(this.d.staging(), session, { ...rest, identity });
    // Saved (sealed) with the submission: nothing of it stays in memory for the next resident.
    if (realnameRef) this.d.realname.forgetAll();
    await this.d.sessions.close(sessionId, true);
    log.info({ caseNumber: receipt.caseNumber, items: receipt.itemCount }, 'submission saved');
    this.d.onSaved();
    return receipt;
  }

  /** Idle reset or 返回: the session's files go, and so does any identity read for it. */
  async discard(sessionId: string): Promise<boolean> {
    this.d.realname.forgetAll();
    return this.d.sessions.close(sessionId, true);
  }
}
