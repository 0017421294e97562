// 待审批 (issue 15), for supervisors: the units' 延期 requests to approve or refuse, and the
// automatic 渐次升级 proposals (overdue, reopened, raised again) to accept or dismiss.
import { type MouseEvent, useCallback, useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { errorText, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';
import { fmtDeadline } from '../clock.tsx';
import { type Key } from '../i18n.ts';
import { levelKey, ProposalActions } from './CaseProcess.tsx';
import { Table } from '../Table.tsx';

type Ext = Answer<'process', 'extensions'>['extensions'][number];
type Proposal = Answer<'process', 'proposals'>['proposals'][number];

/** Approve or refuse one 延期 request, with an optional note. */
function ExtensionDecision({ id, run }: { id: number; run: (fn: () => Promise<unknown>) => Promise<void> }) {
  const { t } = useApp();
  const decide = (e: MouseEvent<HTMLButtonElement>, approve: boolean) => {
    const note = (e.currentTarget.form?.elements.namedItem('note') as HTMLInputElement).value;
    void run(() => staff.process.decideExtension({ params: { id }, body: { approve, note } }));
  };
  return (
    <form className="inline" onSubmit={(e) => e.preventDefault()}>
      <input name="note" aria-label={t('decisionNote')} placeholder={t('decisionNote')} />
      <button type="button" onClick={(e) => decide(e, true)}>
        {t('approve')}
      </button>
      <button type="button" onClick={(e) => decide(e, false)}>
        {t('reject')}
      </button>
    </form>
  );
}

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
      <Table
        caption={t('extensions')}
        rows={ext}
        rowKey={(x) => x.id}
        empty={t('noCases')}
        columns={[
          { header: t('caseNumber'), cell: (x) => <a href={`#/case/${x.caseId}`}>{x.caseNumber}</a> },
          { header: t('unit'), cell: (x) => x.unitName ?? '—' },
          { header: t('at'), cell: (x) => fmtTime(x.requestedAt) },
          { header: t('detail_previousDueDate'), cell: (x) => fmtDeadline(x.oldDueAt) },
          { header: t('extensionDate'), cell: (x) => `${x.newDueDate} 24:00` },
          { header: t('reason'), cell: (x) => x.reason },
          { header: t('actions'), hideHeader: true, cell: (x) => <ExtensionDecision id={x.id} run={run} /> },
        ]}
      />
      <h2>{t('proposals')}</h2>
      <Table
        caption={t('proposals')}
        rows={props}
        rowKey={(p) => p.id}
        empty={t('noCases')}
        columns={[
          { header: t('caseNumber'), cell: (p) => <a href={`#/case/${p.caseId}`}>{p.caseNumber}</a> },
          { header: t('at'), cell: (p) => fmtTime(p.at) },
          { header: t('reason'), cell: (p) => t(`proposal_${p.reason}` as Key) },
          { header: t('escalationLevel'), cell: (p) => (p.currentLevel === null ? t('notEscalated') : t(levelKey(p.currentLevel))) },
          { header: t('escalateTo'), cell: (p) => t(levelKey(p.level)) },
          {
            header: t('actions'),
            hideHeader: true,
            cell: (p) => <ProposalActions caseId={p.caseId} version={p.version} proposal={p} run={run} />,
          },
        ]}
      />
    </section>
  );
}
