import { useEffect, useState } from 'react';
import { href, staff, type Answer } from '../api.ts';
import { staffApi } from '../../../contract/staff/index.ts';
import { useApp } from '../context.tsx';
import { describeChange } from '../describe.ts';
import { codeText } from '../i18n.ts';
import { fmtTime } from '../format.ts';

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
      {rows && (
        <table className="cases">
          <thead>
            <tr>
              <th>{t('at')}</th>
              <th>{t('user')}</th>
              <th>{t('action')}</th>
              <th>{t('caseNumber')}</th>
              <th>{t('reason')}</th>
              <th>{t('change')}</th>
              <th>IP</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{fmtTime(r.at)}</td>
                <td>{r.username}</td>
                <td>{codeText(lang, 'audit_', r.action, 'audit_other')}</td>
                <td>{r.case_number ?? '—'}</td>
                <td>{MACHINE_REASON.has(r.action) ? '' : r.reason}</td>
                <td className="change">{describeChange(lang, meta, r.detail)}</td>
                <td>{r.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
