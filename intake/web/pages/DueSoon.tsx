import { useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { statusLabel, useApp } from '../context.tsx';
import { ClockBadge } from '../clock.tsx';

type Row = Answer<'cases', 'dueSoon'>['cases'][number];

export function DueSoon() {
  const { t, meta, lang } = useApp();
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => void staff.cases.dueSoon().then((r) => setRows(r.cases)), []);
  if (!rows) return <p>{t('loading')}</p>;
  return (
    <section>
      <h1>{t('navDue')}</h1>
      {rows.length === 0 ? (
        <p>{t('noCases')}</p>
      ) : (
        <table className="cases">
          <thead>
            <tr>
              <th>{t('caseNumber')}</th>
              <th>{t('unit')}</th>
              <th>{t('status')}</th>
              <th>{t('summary')}</th>
              <th>{t('deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.overdue ? 'overdue' : r.clock.state === 'due_soon' ? 'due-soon' : ''}>
                <td>
                  <a href={`#/case/${r.id}`}>{r.caseNumber}</a>
                </td>
                <td>{r.unitName ?? '—'}</td>
                <td>{statusLabel(meta, lang, r.status)}</td>
                <td className="summary">{r.summary || '—'}</td>
                <td>
                  <ClockBadge clock={r.clock} />
                  {r.warning && ' ⚠'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
