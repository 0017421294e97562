// 我的包案 (issue 15): the cases escalated to this user as the owner of their level, each on its clock.
import { useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { statusLabel, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';
import { ClockBadge } from '../clock.tsx';
import { levelKey } from './CaseProcess.tsx';

type Row = Answer<'process', 'mine'>['cases'][number];

export function Mine() {
  const { t, meta, lang } = useApp();
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => void staff.process.mine().then((r) => setRows(r.cases)), []);
  if (!rows) return <p>{t('loading')}</p>;
  return (
    <section className="mine">
      <h1>{t('navMine')}</h1>
      {rows.length === 0 ? (
        <p>{t('noCases')}</p>
      ) : (
        <table className="cases">
          <thead>
            <tr>
              <th>{t('caseNumber')}</th>
              <th>{t('level')}</th>
              <th>{t('since')}</th>
              <th>{t('status')}</th>
              <th>{t('summary')}</th>
              <th>{t('territory')}</th>
              <th>{t('unit')}</th>
              <th>{t('deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.clock.state === 'overdue' ? 'overdue' : r.clock.state === 'due_soon' ? 'due-soon' : ''}>
                <td>
                  <a href={`#/case/${r.id}`}>{r.caseNumber}</a>
                </td>
                <td>{r.level === null ? '—' : t(levelKey(r.level))}</td>
                <td>{fmtTime(r.since)}</td>
                <td>
                  <span className={`status s-${r.status}`}>{statusLabel(meta, lang, r.status)}</span>
                </td>
                <td className="summary">{r.summary || '—'}</td>
                <td>{r.territory ?? '—'}</td>
                <td>{r.unitName ?? '—'}</td>
                <td>
                  <ClockBadge clock={r.clock} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
