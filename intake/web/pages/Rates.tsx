// The three rates as a ranking: units or villages for a chosen week or month, the rank before and
// the change, CSV (Chinese or English headers) and a print view; below, the trend of the three
// rates (all, or the row clicked) drawn with ECharts, values on hover; then the definitions.
import { useEffect, useMemo, useState } from 'react';
import { href, staff, type Answer } from '../api.ts';
import { staffApi } from '../../../contract/staff/index.ts';
import { useApp } from '../context.tsx';
import { pct, today } from '../format.ts';
import { translate } from '../i18n.ts';
import { TrendChart } from '../TrendChart.tsx';
import { Table } from '../Table.tsx';

type RatesData = Answer<'reports', 'rates'>;
type RankingData = Answer<'ranking', 'get'>;
type RankedRow = RankingData['rows'][number];

const SERIES = [
  ['responseRate', '#1f6feb', 'response'],
  ['resolutionRate', '#2da44e', 'resolution'],
  ['satisfactionRate', '#d29922', 'satisfactionRate'],
] as const;
const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export function Rates() {
  const { t, lang } = useApp();
  const [groupBy, setGroupBy] = useState<'unit' | 'village'>('unit');
  const [period, setPeriod] = useState<'week' | 'month'>('week');
  const [date, setDate] = useState(today());
  const [data, setData] = useState<RatesData | null>(null);
  const [rank, setRank] = useState<RankingData | null>(null);
  const [focus, setFocus] = useState<{ key: string; label: string } | null>(null);
  useEffect(() => void staff.reports.rates({ query: { groupBy, period, to: date } }).then(setData), [groupBy, period, date]);
  useEffect(() => void staff.ranking.get({ query: { groupBy, period, date } }).then(setRank), [groupBy, period, date]);
  useEffect(() => setFocus(null), [groupBy]);

  const series = useMemo(() => {
    if (!data) return [];
    const rows = focus ? data.rows.filter((r) => r.key === focus.key) : data.total;
    const byPeriod = new Map(rows.map((r) => [r.period, r]));
    return SERIES.map(([k, color, label]) => ({
      name: translate(lang, label),
      color,
      values: data.periods.map((p) => byPeriod.get(p)?.[k] ?? null),
    }));
  }, [data, focus, lang]);

  const change = (r: RankedRow) => {
    if (r.rank === null) return '—';
    if (r.previousRank === null) return t('newInRanking');
    if (r.change === 0) return t('same');
    return r.change! > 0 ? `↑ ${t('up', { n: r.change! })}` : `↓ ${t('down', { n: -r.change! })}`;
  };
  const csv = (l: 'zh' | 'en') => href(staffApi.ranking.csv, { query: { groupBy, period, date, lang: l === 'zh' ? undefined : l } });
  const w = rank?.weights;

  return (
    <section className="rates-page">
      <h1>{t('ranking')}</h1>
      <div className="toolbar no-print">
        <button type="button" className={groupBy === 'unit' ? 'on' : ''} onClick={() => setGroupBy('unit')}>
          {t('byUnit')}
        </button>
        <button type="button" className={groupBy === 'village' ? 'on' : ''} onClick={() => setGroupBy('village')}>
          {t('byVillage')}
        </button>
        <button type="button" className={period === 'week' ? 'on' : ''} onClick={() => setPeriod('week')}>
          {t('week')}
        </button>
        <button type="button" className={period === 'month' ? 'on' : ''} onClick={() => setPeriod('month')}>
          {t('month')}
        </button>
        <label>
          {t('anyDay')}
          <input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </label>
        <a className="button" href={csv('zh')} download>
          {t('csv')}
        </a>
        <a className="button" href={csv('en')} download>
          {t('csvEn')}
        </a>
        <button type="button" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>
      {rank && (
        <>
          <p className="window">
            {t('periodOf', {
              a: rank.range.start,
              b: dayBefore(rank.range.end),
              c: rank.range.previous.start,
              d: dayBefore(rank.range.previous.end),
            })}{' '}
            · {groupBy === 'unit' ? t('byUnit') : t('byVillage')}
          </p>
          <Table
            caption={t('ranking')}
            className="rates ranking"
            rows={rank.rows}
            rowKey={(r) => r.key}
            empty={t('noRanking')}
            rowProps={(r) => {
              const toggle = () => setFocus(focus?.key === r.key ? null : { key: r.key, label: r.label });
              return {
                className: focus?.key === r.key ? 'on' : undefined,
                title: t('clickRow'),
                tabIndex: 0,
                'aria-selected': focus?.key === r.key,
                onClick: toggle,
                onKeyDown: (e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    toggle();
                  }
                },
              };
            }}
            columns={[
              { header: t('rank'), className: 'rank', cell: (r) => r.rank ?? t('unranked') },
              {
                header: t('rankChange'),
                className: (r) => `change ${r.change && r.change > 0 ? 'up' : r.change && r.change < 0 ? 'down' : ''}`,
                cell: (r) => change(r),
              },
              { header: groupBy === 'unit' ? t('unit') : t('territory'), cell: (r) => r.label || '—' },
              { header: t('evaluated'), cell: (r) => r.evaluated },
              { header: t('response'), cell: (r) => pct(r.responseRate) },
              { header: t('resolution'), cell: (r) => pct(r.resolutionRate) },
              { header: t('satisfactionRate'), cell: (r) => pct(r.satisfactionRate) },
              { header: t('score'), cell: (r) => (r.score === null ? '—' : (r.score * 100).toFixed(1)) },
              { header: t('previousRank'), cell: (r) => r.previousRank ?? '—' },
              { header: t('rated'), cell: (r) => r.rated },
              { header: t('residentRated'), cell: (r) => r.residentRated },
            ]}
          />
          {w && (
            <p className="note">
              {t('weights', {
                r: Math.round(w.responseRate * 100),
                s: Math.round(w.resolutionRate * 100),
                f: Math.round(w.satisfactionRate * 100),
              })}
            </p>
          )}
        </>
      )}
      {data && (
        <>
          <h2>{t('trendOf', { x: focus ? focus.label || '—' : t('trendAll') })}</h2>
          <TrendChart periods={data.periods} series={series} label={t('trendOf', { x: focus?.label ?? t('trendAll') })} />
          <h2>{t('definitions')}</h2>
          <ul className="definitions">
            {Object.values(data.definitions[lang]).map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
