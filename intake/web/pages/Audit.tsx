import { useEffect, useState } from 'react';
import { get } from '../api.ts';
import { useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';

interface Entry { id: number; at: string; username: string; action: string; case_number: string | null; reason: string; ip: string | null }

export function Audit() {
  const { t } = useApp();
  const [rows, setRows] = useState<Entry[] | null>(null);
  useEffect(() => void get<{ entries: Entry[] }>('/staff/api/audit').then((r) => setRows(r.entries)), []);
  return (
    <section>
      <h1>{t('audit')}</h1>
      <a className="button" href="/staff/api/audit.csv" download>{t('exportCsv')}</a>
      {rows && (
        <table className="cases">
          <thead><tr><th>{t('at')}</th><th>{t('user')}</th><th>{t('action')}</th><th>{t('caseNumber')}</th><th>{t('reason')}</th><th>IP</th></tr></thead>
          <tbody>{rows.map((r) => <tr key={r.id}><td>{fmtTime(r.at)}</td><td>{r.username}</td><td>{r.action}</td><td>{r.case_number ?? '—'}</td><td>{r.reason}</td><td>{r.ip}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
