// The inbox (issue 15): reminders, 签收 overdue, returns, escalations and their proposals, extension
// requests and decisions, addressed to this user, their units or their role; read per user.
import { useCallback, useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { errorText, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';
import { fmtDeadline } from '../clock.tsx';
import { type Key } from '../i18n.ts';
import { levelKey } from './CaseProcess.tsx';
import { Table } from '../Table.tsx';

/** A notice's facts in words: unit, level, owner, dates, a decision. */
function facts(t: ReturnType<typeof useApp>['t'], lang: 'zh' | 'en', d: Record<string, unknown>): string {
  const out: string[] = [];
  const colon = lang === 'zh' ? '：' : ': ';
  if (typeof d.unit === 'string') out.push(`${t('unit')}${colon}${d.unit}`);
  if (typeof d.level === 'number') out.push(`${t('level')}${colon}${t(levelKey(d.level))}`);
  if (typeof d.owner === 'string') out.push(`${t('owner')}${colon}${d.owner}`);
  if (typeof d.reason === 'string') out.push(t(`proposal_${d.reason}` as Key));
  if (typeof d.decision === 'string') out.push(t(`decision_${d.decision}` as Key));
  if (typeof d.ackDue === 'string') out.push(t('ackDue', { d: fmtDeadline(d.ackDue) }));
  if (typeof d.dueDate === 'string') out.push(t('answerDue', { d: `${d.dueDate} 24:00` }));
  return out.join(' · ');
}

export function Inbox() {
  const { t, lang } = useApp();
  const [data, setData] = useState<Answer<'process', 'notices'> | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const load = useCallback(async () => setData(await staff.process.notices()), []);
  useEffect(() => void load(), [load]);
  const read = (body: { ids: number[] } | { all: true }) =>
    void staff.process
      .readNotices({ body })
      .then(load)
      .catch((e: unknown) => setMsg(errorText(lang, e)));
  if (!data) return <p>{t('loading')}</p>;
  return (
    <section className="inbox">
      <h1>
        {t('navInbox')} <small>{t('unread', { n: data.unread })}</small>
      </h1>
      {msg && (
        <p className="msg" role="status">
          {msg}
        </p>
      )}
      {data.unread > 0 && (
        <button type="button" onClick={() => read({ all: true })}>
          {t('markAllRead')}
        </button>
      )}
      <Table
        caption={t('navInbox')}
        rows={data.notices}
        rowKey={(n) => n.id}
        empty={t('noNotices')}
        rowProps={(n) => ({ className: n.read ? 'read' : 'unread' })}
        columns={[
          { header: t('at'), cell: (n) => fmtTime(n.at) },
          { header: t('kind'), cell: (n) => (n.read ? t(`notice_${n.kind}` as Key) : <b>{t(`notice_${n.kind}` as Key)}</b>) },
          { header: t('caseNumber'), cell: (n) => (n.caseId ? <a href={`#/case/${n.caseId}`}>{n.caseNumber}</a> : '—') },
          { header: t('noticeDetail'), hideHeader: true, cell: (n) => facts(t, lang, n.detail) },
          {
            header: t('actions'),
            hideHeader: true,
            cell: (n) =>
              !n.read && (
                <button type="button" className="link" onClick={() => read({ ids: [n.id] })}>
                  {t('markRead')}
                </button>
              ),
          },
        ]}
      />
    </section>
  );
}
