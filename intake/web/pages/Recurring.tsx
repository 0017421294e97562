// 未诉先办: category × place × month heat map, and places where a category keeps coming back.
import { useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { categoryLabel, useApp } from '../context.tsx';
import { fmtTime, sep } from '../format.ts';
import { Table } from '../Table.tsx';

type Data = Answer<'reports', 'recurring'>;

export function Recurring() {
  const { t, meta, lang } = useApp();
  const [data, setData] = useState<Data | null>(null);
  useEffect(() => void staff.reports.recurring().then(setData), []);
  if (!data) return <p>{t('loading')}</p>;
  const rows = [...new Set(data.heat.cells.map((c) => `${c.category}\u0000${c.place}`))];
  const max = Math.max(1, ...data.heat.cells.map((c) => c.count));
  const count = (row: string, m: string) =>
    data.heat.cells.find((c) => `${c.category}\u0000${c.place}` === row && c.month === m)?.count ?? 0;
  return (
    <section>
      <h1>{t('navRecurring')}</h1>
      <h2>{t('candidates', { n: data.threshold, days: data.days })}</h2>
      <Table
        caption={t('candidates', { n: data.threshold, days: data.days })}
        rows={data.candidates}
        rowKey={(c) => `${c.category}-${c.place}`}
        columns={[
          { header: t('category'), cell: (c) => categoryLabel(meta, lang, c.category) },
          { header: t('location'), cell: (c) => c.place },
          { header: t('count'), cell: (c) => c.count },
          { header: t('first'), cell: (c) => fmtTime(new Date(c.first).toISOString()) },
          { header: t('last'), cell: (c) => fmtTime(new Date(c.last).toISOString()) },
          { header: t('cases'), cell: (c) => c.caseNumbers.join(sep(lang)) },
        ]}
      />
      <h2>{t('heat')}</h2>
      <table className="heat">
        <thead>
          <tr>
            <th>{t('category')}</th>
            <th>{t('location')}</th>
            {data.heat.months.map((m) => (
              <th key={m}>{m}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const [category, place] = r.split('\u0000');
            return (
              <tr key={r}>
                <td>{categoryLabel(meta, lang, category ?? null)}</td>
                <td>{place}</td>
                {data.heat.months.map((m) => {
                  const n = count(r, m);
                  return (
                    <td key={m} style={{ background: n ? `rgba(214, 69, 65, ${0.15 + (0.85 * n) / max})` : undefined }}>
                      {n || ''}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
