import { useEffect, useState } from 'react';
import { get } from '../api.ts';
import { useApp } from '../context.tsx';
import type { Key } from '../i18n.ts';
import { fmtTime } from '../format.ts';

interface Entry { id: number; at: string; username: string; action: string; case_number: string | null; reason: string; ip: string | null; detail: string | null }

/** {before, after} in one line: "role: handler → admin". */
function change(detail: string | null): string {
  if (!detail) return '';
  const d = JSON.parse(detail) as { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
  const keys = Object.keys({ ...(d.before ?? {}), ...(d.after ?? {}) });
  return keys.map((k) => `${k}: ${JSON.stringify(d.before?.[k] ?? null)} → ${JSON.stringify(d.after?.[k] ?? null)}`).join('; ');
}

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
          <thead><tr><th>{t('at')}</th><th>{t('user')}</th><th>{t('action')}</th><th>{t('caseNumber')}</th><th>{t('reason')}</th><th>{t('change')}</th><th>IP</th></tr></thead>
          <tbody>{rows.map((r) => <tr key={r.id}><td>{fmtTime(r.at)}</td><td>{r.username}</td><td>{t(`audit_${r.action}` as Key)}</td><td>{r.case_number ?? '—'}</td><td>{r.reason}</td><td className="change">{change(r.detail)}</td><td>{r.ip}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
