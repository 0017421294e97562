// 待审批 (issue 15), for supervisors: the units' 延期 requests to approve or refuse, and the
// automatic 渐次升级 proposals (overdue, reopened, raised again) to accept or dismiss.
import { useCallback, useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { errorText, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';
import { fmtDeadline } from '../clock.tsx';
import { type Key } from '../i18n.ts';
import { levelKey, ProposalActions } from './CaseProcess.tsx';

type Ext = Answer<'process', 'extensions'>['extensions'][number];
type Proposal = Answer<'process', 'proposals'>['proposals'][number];

export function Approvals() {
  const { t, lang } = useApp();
  const [ext, setExt] = useState<Ext[] | null>(null);
  const [props, setProps] = useState<Proposal[] | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const load = useCallback(async () => {
    setExt((await staff.process.extensions()).extensions);
    setProps((await staff.process.proposals()).proposals);
  }, []);
  useEffect(() => void load(), [load]);
  const run = async (fn: () => Promise<unknown>) => {
    setMsg(null);
    try {
      await fn();
      setMsg(t('saved'));
      await load();
    } catch (e) {
      setMsg(errorText(lang, e));
    }
  };
  if (!ext || !props) return <p>{t('loading')}</p>;
  return (
    <section className="approvals">
      <h1>{t('navApprovals')}</h1>
      {msg && (
        <p className="msg" role="status">
          {msg}
        </p>
      )}
      <h2>{t('extensions')}</h2>
      {ext.length === 0 ? (
        <p>{t('noCases')}</p>
      ) : (
        <table className="cases">
          <thead>
            <tr>
              <th>{t('caseNumber')}</th>
              <th>{t('unit')}</th>
              <th>{t('at')}</th>
              <th>{t('detail_previousDueDate')}</th>
              <th>{t('extensionDate')}</th>
              <th>{t('reason')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {ext.map((x) => (
              <tr key={x.id}>
                <td>
                  <a href={`#/case/${x.caseId}`}>{x.caseNumber}</a>
                </td>
                <td>{x.unitName ?? '—'}</td>
                <td>{fmtTime(x.requestedAt)}</td>
                <td>{fmtDeadline(x.oldDueAt)}</td>
                <td>{x.newDueDate} 24:00</td>
                <td>{x.reason}</td>
                <td>
                  <form className="inline" onSubmit={(e) => e.preventDefault()}>
                    <input name="note" aria-label={t('decisionNote')} placeholder={t('decisionNote')} />
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
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('proposals')}</h2>
      {props.length === 0 ? (
        <p>{t('noCases')}</p>
      ) : (
        <table className="cases">
          <thead>
            <tr>
              <th>{t('caseNumber')}</th>
              <th>{t('at')}</th>
              <th>{t('reason')}</th>
              <th>{t('escalationLevel')}</th>
              <th>{t('escalateTo')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`#/case/${p.caseId}`}>{p.caseNumber}</a>
                </td>
                <td>{fmtTime(p.at)}</td>
                <td>{t(`proposal_${p.reason}` as Key)}</td>
                <td>{p.currentLevel === null ? t('notEscalated') : t(levelKey(p.currentLevel))}</td>
                <td>{t(levelKey(p.level))}</td>
                <td>
                  <ProposalActions caseId={p.caseId} version={p.version} proposal={p} run={run} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
