import { useEffect, useState } from 'react';
import { href, staff, type Answer } from '../api.ts';
import { staffApi } from '../../../contract/staff/index.ts';
import { useApp } from '../context.tsx';
import { describeChange } from '../describe.ts';
import { codeText } from '../i18n.ts';
import { fmtTime } from '../format.ts';
import { Table } from '../Table.tsx';

type Entry = Answer<'reports', 'audit'>['entries'][number];

// These rows' reason is a machine list of the fields changed (the change column says it in words).
const MACHINE_REASON = new Set(['settings_changed', 'booth_settings_changed']);

export function Audit() {
  const { t, lang, meta } = useApp();
  const [rows, setRows] = useState<Entry[] | null>(null);
  useEffect(() => void staff.reports.audit().then((r) => setRows(r.entries)), []);
  return (
    <section>
      <h1>{t('audit')}</h1>
      <a className="button" href={href(staffApi.reports.auditCsv)} download>
        {t('exportCsv')}
      </a>
      <Table
        caption={t('audit')}
        rows={rows}
        rowKey={(r) => r.id}
        columns={[
          { header: t('at'), cell: (r) => fmtTime(r.at) },
          { header: t('user'), cell: (r) => r.username },
          { header: t('action'), cell: (r) => codeText(lang, 'audit_', r.action, 'audit_other') },
          { header: t('caseNumber'), cell: (r) => r.case_number ?? '—' },
          { header: t('reason'), cell: (r) => (MACHINE_REASON.has(r.action) ? '' : r.reason) },
          { header: t('change'), className: 'change', cell: (r) => describeChange(lang, meta, r.detail) },
          { header: 'IP', cell: (r) => r.ip },
        ]}
      />
    </section>
  );
}
