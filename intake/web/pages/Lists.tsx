// The daily list for the meeting (and weekly / monthly): on screen, printed A4 landscape, or CSV.
import { useEffect, useState } from 'react';
import { href, staff, type Answer } from '../api.ts';
import { staffApi } from '../../../contract/staff/index.ts';
import { useApp } from '../context.tsx';
import { fmtTime, today } from '../format.ts';
import { Table } from '../Table.tsx';

type ListData = Answer<'reports', 'list'>;

export function Lists() {
  const { t, lang } = useApp();
  const [kind, setKind] = useState<'daily' | 'weekly' | 'monthly'>('daily');
  const [date, setDate] = useState(today());
  const [data, setData] = useState<ListData | null>(null);
  useEffect(() => void staff.reports.list({ query: { kind, date, lang } }).then(setData), [kind, date, lang]);
  const en = ['Case number', 'Dispatched', 'Request', 'Location', 'Handling unit', 'Territory', 'Result'];
  return (
    <section className="list-page">
      <div className="no-print toolbar">
        {(['daily', 'weekly', 'monthly'] as const).map((k) => (
          <button key={k} type="button" className={k === kind ? 'on' : ''} onClick={() => setKind(k)}>
            {t(k)}
          </button>
        ))}
        <label>
          {t('date')}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <button type="button" onClick={() => print()}>
          {t('print')}
        </button>
        {/* The Chinese-header CSV is the meeting's default; the English one is for English-speaking staff. */}
        <a className="button" href={href(staffApi.reports.listCsv, { query: { kind, date } })} download>
          {t('csv')}
        </a>
        <a className="button" href={href(staffApi.reports.listCsv, { query: { kind, date, lang: 'en' } })} download>
          {t('csvEn')}
        </a>
      </div>
      {data && (
        <>
          <h1>
            {t(kind)} · {data.window.label}
            {kind === 'daily' && ` · ${t('meeting', { t: data.meeting })}`}
          </h1>
          <p className="sub">
            {t('window', { a: fmtTime(data.window.start), b: fmtTime(data.window.end) })} · {t('rows', { n: data.rows.length })}
          </p>
          <Table
            caption={t(kind)}
            className="daily"
            rows={data.rows}
            rowKey={(r) => r[0] ?? ''}
            columns={data.columns.map((c, i) => ({ header: lang === 'zh' ? c : en[i], cell: (r: string[]) => r[i] }))}
          />
        </>
      )}
    </section>
  );
}
