// 首页: what a staff member's day starts with — today's new cases, waiting for dispatch, due soon,
// overdue (a handler: their units'), the list that is theirs (their units' open cases, the cases
// waiting for dispatch, their 包案), and this week's three rates.
import { useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { statusLabel, useApp } from '../context.tsx';
import { fmtTime, pct } from '../format.ts';
import { ClockBadge } from '../clock.tsx';
import { Table } from '../Table.tsx';

type HomeData = Answer<'home', 'get'>;
/** A row of any of the three lists: each on the case clock. */
type Row = HomeData['myUnits'][number];

export function Home() {
  const { t, lang, meta } = useApp();
  const [data, setData] = useState<HomeData | null>(null);
  useEffect(() => void staff.home.get().then(setData), []);
  if (!data) return <p>{t('loading')}</p>;
  const c = data.counts;
  const tile = (label: string, n: number | string, href: string, cls = '') => (
    <a className={`tile ${cls}`} href={href}>
      <strong>{n}</strong>
      <span>{label}</span>
    </a>
  );
  const list = (title: string, rows: Row[], cls: string) => (
    <section className={cls}>
      <h2>{title}</h2>
      <Table
        caption={title}
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('noCases')}
        columns={[
          { header: t('caseNumber'), cell: (r) => <a href={`#/case/${r.id}`}>{r.caseNumber}</a> },
          { header: t('status'), cell: (r) => <span className={`status s-${r.status}`}>{statusLabel(meta, lang, r.status)}</span> },
          { header: t('summary'), className: 'summary', cell: (r) => r.summary || '—' },
          { header: t('unit'), cell: (r) => r.unitName ?? '—' },
          { header: t('receivedAt'), cell: (r) => fmtTime(r.receivedAt) },
          { header: t('due'), cell: (r) => <ClockBadge clock={r.clock} /> },
        ]}
      />
    </section>
  );
  return (
    <section className="home">
      <h1>{t('navHome')}</h1>
      <div className="tiles">
        {tile(t('homeNewToday'), c.newToday, '#/cases')}
        {tile(t('homeWaiting'), c.waitingDispatch, '#/cases', c.waitingDispatch ? 'warn' : '')}
        {tile(t('dueSoon'), c.dueSoon, '#/due', c.dueSoon ? 'warn' : '')}
        {tile(t('overdueLabel'), c.overdue, '#/due', c.overdue ? 'bad' : '')}
      </div>
      {data.week && (
        <div className="tiles week">
          <p>{t('homeWeek', { a: data.week.start, n: data.week.evaluated })}</p>
          {tile(t('response'), pct(data.week.responseRate), '#/rates')}
          {tile(t('resolution'), pct(data.week.resolutionRate), '#/rates')}
          {tile(t('satisfactionRate'), pct(data.week.satisfactionRate), '#/rates')}
        </div>
      )}
      {data.owned.length > 0 && list(t('homeOwned'), data.owned, 'owned')}
      {data.myUnits.length > 0 && list(t('homeMyUnits'), data.myUnits, 'my-units')}
      {data.waiting.length > 0 && list(t('homeWaiting'), data.waiting, 'waiting')}
    </section>
  );
}
