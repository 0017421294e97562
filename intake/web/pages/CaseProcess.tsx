// The 接诉即办 steps on a case (issue 15): 签收 (acknowledge), 退单 (return to dispatch), 延期 (ask,
// and for a supervisor decide), and 渐次升级 (level, owner, raise, hand back, proposals). The case
// view (CaseView.tsx) shows it under its workflow; every step reloads the case.
import { useCallback, useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { useApp } from '../context.tsx';
import { formFields } from '../form.ts';
import { fmtDeadline } from '../clock.tsx';
import { fmtTime } from '../format.ts';
import { type Key } from '../i18n.ts';

export type ProcessData = Answer<'process', 'state'>;

const LEVELS = ['village', 'township', 'district', 'leader'] as const;
export const levelKey = (l: number) => `level_${LEVELS[l] ?? 'village'}` as Key;

interface Props {
  c: { id: string; version: number; status: string; unitId: string | null; dispatchedAt: string | null };
  mayWork: boolean;
  run: (fn: () => Promise<unknown>) => Promise<void>;
}

type ProposalRef = { id: number; level: number; reason: string };

/**
 * Accept or dismiss one escalation proposal (on the case and on 待审批): accepting raises the case to
 * the proposed level with the proposal's reason as the escalation reason.
 */
export function ProposalActions({
  caseId,
  version,
  proposal,
  run,
}: {
  caseId: string;
  version: number;
  proposal: ProposalRef;
  run: Props['run'];
}) {
  const { t } = useApp();
  const accept = () =>
    staff.process.escalate({
      params: { id: caseId },
      body: {
        version,
        level: proposal.level,
        proposalId: proposal.id,
        reason: t('proposalReason', { r: t(`proposal_${proposal.reason}` as Key) }),
      },
    });
  const dismiss = () => staff.process.dismissProposal({ params: { id: proposal.id }, body: { dismiss: true } });
  return (
    <>
      <button type="button" onClick={() => void run(accept)}>
        {t('acceptProposal')}
      </button>{' '}
      <button type="button" className="link" onClick={() => void run(dismiss)}>
        {t('dismissProposal')}
      </button>
    </>
  );
}

export function CaseProcess({ c, mayWork, run }: Props) {
  const { t, can, me, lang } = useApp();
  const colon = lang === 'zh' ? '：' : ': ';
  const [p, setP] = useState<ProcessData | null>(null);
  const load = useCallback(async () => setP(await staff.process.state({ params: { id: c.id } })), [c.id]);
  useEffect(() => void load(), [load, c.version]);
  if (!p) return null;
  const open = ['assigned', 'in_progress', 'escalated'].includes(c.status);
  const pending = p.extensions.find((x) => x.state === 'pending');
  const supervisor = can('case:assign');
  const owner = p.escalation?.ownerId === me.user.id;
  const mayEscalate = supervisor || owner;
  const closed = ['closed', 'invalid', 'duplicate'].includes(c.status);

  return (
    <section className="process">
      {(p.ackDueAt || p.acknowledgedAt) && (
        <p className="ack">
          {p.acknowledgedAt ? t('acknowledgedAt', { t: fmtTime(p.acknowledgedAt) }) : t('ackDue', { d: fmtDeadline(p.ackDueAt) })}
        </p>
      )}
      <div className="actions">
        {mayWork && ['assigned', 'in_progress'].includes(c.status) && (
          <form
            className="return"
            onSubmit={(e) => {
              const v = formFields(e);
              void run(() => staff.process.return({ params: { id: c.id }, body: { version: c.version, reason: v.get('reason') } }));
            }}
          >
            <label>
              {t('returnReason')}
              <input name="reason" required minLength={4} />
            </label>
            <button type="submit">{t('returnCase')}</button>
          </form>
        )}
      </div>

      <h3>{t('extension')}</h3>
      {p.extensions.length > 0 && (
        <ul className="extensions">
          {p.extensions.map((x) => (
            <li key={x.id}>
              {fmtTime(x.requestedAt)} · {x.requestedBy ?? '—'} · {t('extensionDate')} {x.newDueDate} 24:00 · {x.reason} ·{' '}
              <b>{t(`extension_state_${x.state}` as Key)}</b>
              {x.note && ` · ${x.note}`}
              {x.state === 'pending' && supervisor && (
                <form className="inline decide" onSubmit={(e) => e.preventDefault()}>
                  <label>
                    {t('decisionNote')}
                    <input name="note" />
                  </label>
                  <button
                    type="button"
                    onClick={(e) => {
                      const note = (e.currentTarget.form?.elements.namedItem('note') as HTMLInputElement).value;
                      void run(() => staff.process.decideExtension({ params: { id: x.id }, body: { approve: true, note } }));
                    }}
                  >
                    {t('approve')}
                  </button>
                  <button
                    type="button"
                    onClick={(e) => {
                      const note = (e.currentTarget.form?.elements.namedItem('note') as HTMLInputElement).value;
                      void run(() => staff.process.decideExtension({ params: { id: x.id }, body: { approve: false, note } }));
                    }}
                  >
                    {t('reject')}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayWork && open && c.dispatchedAt && !pending && (
        <form
          className="inline extension"
          onSubmit={(e) => {
            const v = formFields(e);
            void run(() =>
              staff.process.requestExtension({
                params: { id: c.id },
                body: { version: c.version, reason: v.get('reason'), newDueDate: v.get('newDueDate') },
              }),
            );
          }}
        >
          <label>
            {t('extensionDate')}
            <input type="date" name="newDueDate" required />
          </label>
          <label>
            {t('extensionReason')}
            <input name="reason" required minLength={4} />
          </label>
          <button type="submit">{t('extensionRequest')}</button>
        </form>
      )}

      <h3>{t('escalation')}</h3>
      <p className="escalation">
        {p.escalation ? (
          <>
            {t('escalationLevel')}
            {colon}
            <b>{t(levelKey(p.escalation.level))}</b> · {t('escalationOwner')}
            {colon}
            <b>{p.escalation.ownerName ?? '—'}</b>
            {p.escalation.since && (
              <>
                {' '}
                · {t('since')} {fmtTime(p.escalation.since)}
              </>
            )}
          </>
        ) : (
          t('notEscalated')
        )}
      </p>
      {p.proposals.length > 0 && (
        <ul className="proposals">
          {p.proposals.map((x) => (
            <li key={x.id}>
              {fmtTime(x.at)} · {t(`proposal_${x.reason}` as Key)} · {t('proposedLevel', { l: t(levelKey(x.level)) })}
              {supervisor && !closed && (
                <>
                  {' '}
                  <ProposalActions caseId={c.id} version={c.version} proposal={x} run={run} />
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayEscalate && !closed && (p.escalation?.level ?? -1) < 3 && (
        <form
          className="inline escalate"
          onSubmit={(e) => {
            const v = formFields(e);
            void run(() =>
              staff.process.escalate({
                params: { id: c.id },
                body: { version: c.version, reason: v.get('reason'), ...(v.get('level') ? { level: Number(v.get('level')) } : {}) },
              }),
            );
          }}
        >
          <label>
            {t('escalateTo')}
            <select name="level" defaultValue="">
              <option value="">{t('nextLevelAuto')}</option>
              {LEVELS.map((_, i) => i)
                .filter((i) => i > (p.escalation?.level ?? -1))
                .map((i) => (
                  <option key={i} value={i}>
                    {t(levelKey(i))}
                  </option>
                ))}
            </select>
          </label>
          <label>
            {t('escalateReason')}
            <input name="reason" required minLength={4} />
          </label>
          <button type="submit">{t('escalateNext')}</button>
        </form>
      )}
      {mayEscalate && p.escalation && (
        <form
          className="inline deescalate"
          onSubmit={(e) => {
            const v = formFields(e);
            void run(() => staff.process.deescalate({ params: { id: c.id }, body: { version: c.version, reason: v.get('reason') } }));
          }}
        >
          <label>
            {t('deescalateReason')}
            <input name="reason" required minLength={4} />
          </label>
          <button type="submit">{t('deescalate')}</button>
        </form>
      )}
    </section>
  );
}
