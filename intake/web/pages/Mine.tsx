// 我的包案 (issue 15): the cases escalated to this user as the owner of their level, each on its clock.
import { useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { statusLabel, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';
import { ClockBadge } from '../clock.tsx';
import { Table } from '../Table.tsx';
import { levelKey } from './CaseProcess.tsx';

type Row = Answer<'process', 'mine'>['cases'][number];

export function Mine() {
  const { t, meta, lang } = useApp();
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => void staff.process.mine().then((r) => setRows(r.cases)), []);
  return (
    <section className="mine">
      <h1>{t('navMine')}</h1>
      <Table
        caption={t('navMine')}
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('noCases')}
        rowProps={(r) => ({ className: r.clock.state === 'overdue' ? 'overdue' : r.clock.state === 'due_soon' ? 'due-soon' : undefined })}
        columns={[
          { header: t('caseNumber'), cell: (r) => <a href={`#/case/${r.id}`}>{r.caseNumber}</a> },
          { header: t('level'), cell: (r) => (r.level === null ? '—' : t(levelKey(r.level))) },
          { header: t('since'), cell: (r) => fmtTime(r.since) },
          { header: t('status'), cell: (r) => <span className={`status s-${r.status}`}>{statusLabel(meta, lang, r.status)}</span> },
          { header: t('summary'), className: 'summary', cell: (r) => r.summary || '—' },
          { header: t('territory'), cell: (r) => r.territory ?? '—' },
          { header: t('unit'), cell: (r) => r.unitName ?? '—' },
          { header: t('deadline'), cell: (r) => <ClockBadge clock={r.clock} /> },
        ]}
      />
    </section>
  );
}
