import { useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { statusLabel, useApp } from '../context.tsx';
import { ClockBadge } from '../clock.tsx';
import { Table } from '../Table.tsx';

type Row = Answer<'cases', 'dueSoon'>['cases'][number];

export function DueSoon() {
  const { t, meta, lang } = useApp();
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => void staff.cases.dueSoon().then((r) => setRows(r.cases)), []);
  return (
    <section>
      <h1>{t('navDue')}</h1>
      <Table
        caption={t('navDue')}
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('noCases')}
        rowProps={(r) => ({ className: r.overdue ? 'overdue' : r.clock.state === 'due_soon' ? 'due-soon' : undefined })}
        columns={[
          { header: t('caseNumber'), cell: (r) => <a href={`#/case/${r.id}`}>{r.caseNumber}</a> },
          { header: t('unit'), cell: (r) => r.unitName ?? '—' },
          { header: t('status'), cell: (r) => statusLabel(meta, lang, r.status) },
          { header: t('summary'), className: 'summary', cell: (r) => r.summary || '—' },
          {
            header: t('deadline'),
            cell: (r) => (
              <>
                <ClockBadge clock={r.clock} />
                {r.warning && ' ⚠'}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}
