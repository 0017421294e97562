import { useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { categoryLabel, statusLabel, useApp } from '../context.tsx';
import { fmtTime } from '../format.ts';
import { ClockBadge } from '../clock.tsx';
import { Table } from '../Table.tsx';

type Row = Answer<'cases', 'list'>['cases'][number];

interface Filters {
  q: string;
  from: string;
  to: string;
  status: string;
  category: string;
  territory: string;
  unitId: string;
  boothCode: string;
  overdue: boolean;
  realName: string;
}
const EMPTY: Filters = {
  q: '',
  from: '',
  to: '',
  status: '',
  category: '',
  territory: '',
  unitId: '',
  boothCode: '',
  overdue: false,
  realName: '',
};

/** A local date-time input value (Asia/Shanghai) → ISO with offset. */
const toIso = (v: string) => (v ? `${v}:00+08:00` : undefined);

export function CaseList() {
  const { t, meta, lang } = useApp();
  const [f, setF] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);

  const query = (c?: string) => ({
    q: applied.q,
    from: toIso(applied.from),
    to: toIso(applied.to),
    status: applied.status,
    category: applied.category,
    territory: applied.territory,
    unitId: applied.unitId,
    boothCode: applied.boothCode,
    overdue: applied.overdue ? 1 : undefined,
    realName: applied.realName,
    cursor: c,
    limit: 50,
  });
  useEffect(() => {
    let stop = false;
    void staff.cases.list({ query: query() }).then((r) => {
      if (stop) return;
      setRows(r.cases);
      setCursor(r.nextCursor);
    });
    return () => {
      stop = true;
    };
  }, [applied]);
  const more = async () => {
    const r = await staff.cases.list({ query: query(cursor ?? undefined) });
    setRows((x) => [...(x ?? []), ...r.cases]);
    setCursor(r.nextCursor);
  };
  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setF({ ...f, [k]: e.target instanceof HTMLInputElement && e.target.type === 'checkbox' ? e.target.checked : e.target.value });

  return (
    <section>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(f);
        }}
      >
        <input className="search" placeholder={t('search')} aria-label={t('search')} value={f.q} onChange={set('q')} />
        <label>
          {t('from')}
          <input type="datetime-local" value={f.from} onChange={set('from')} />
        </label>
        <label>
          {t('to')}
          <input type="datetime-local" value={f.to} onChange={set('to')} />
        </label>
        <label>
          {t('status')}
          <select value={f.status} onChange={set('status')}>
            <option value="">{t('all')}</option>
            {meta?.statuses.map((s) => (
              <option key={s.id} value={s.id}>
                {s[lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('category')}
          <select value={f.category} onChange={set('category')}>
            <option value="">{t('all')}</option>
            {meta?.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {categoryLabel(meta, lang, c.code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('territory')}
          <select value={f.territory} onChange={set('territory')}>
            <option value="">{t('all')}</option>
            {meta?.territories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          {t('unit')}
          <select value={f.unitId} onChange={set('unitId')}>
            <option value="">{t('all')}</option>
            {meta?.units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('booth')}
          <select value={f.boothCode} onChange={set('boothCode')}>
            <option value="">{t('all')}</option>
            {meta?.booths.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label>
          {t('realName')}
          <select value={f.realName} onChange={set('realName')}>
            <option value="">{t('all')}</option>
            <option value="1">{t('realName')}</option>
            <option value="0">{t('anonymous')}</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={f.overdue} onChange={set('overdue')} />
          {t('overdue')}
        </label>
        <button type="submit">{t('apply')}</button>
        <button
          type="button"
          className="link"
          onClick={() => {
            setF(EMPTY);
            setApplied(EMPTY);
          }}
        >
          {t('reset')}
        </button>
      </form>
      <Table
        caption={t('navCases')}
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('noCases')}
        rowProps={(r) => ({ className: r.deadline === 'overdue' ? 'overdue' : r.deadline === 'due_soon' ? 'due-soon' : undefined })}
        columns={[
          {
            header: t('caseNumber'),
            cell: (r) => (
              <>
                <a href={`#/case/${r.id}`}>{r.caseNumber}</a>
                {r.realName && <span className="tag">{t('realName')}</span>}
              </>
            ),
          },
          { header: t('receivedAt'), cell: (r) => <span title={t('tzName')}>{fmtTime(r.receivedAt)}</span> },
          { header: t('status'), cell: (r) => <span className={`status s-${r.status}`}>{statusLabel(meta, lang, r.status)}</span> },
          { header: t('summary'), className: 'summary', cell: (r) => r.summary || '—' },
          { header: t('category'), cell: (r) => categoryLabel(meta, lang, r.category) },
          { header: t('location'), cell: (r) => r.location ?? '—' },
          { header: t('unit'), cell: (r) => r.unitName ?? '—' },
          { header: t('deadline'), cell: (r) => <ClockBadge clock={r.clock} /> },
        ]}
      />
      {cursor && (
        <button type="button" onClick={() => void more()}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
