// The three rates per unit or village, per week or month, with their definitions and a trend chart.
import { useEffect, useState } from 'react';
import { staff, type Answer } from '../api.ts';
import { useApp } from '../context.tsx';
import { pct } from '../format.ts';

type RatesData = Answer<'reports', 'rates'>;
type RateRow = RatesData['rows'][number];

const SERIES = [['responseRate', '#1f6feb'], ['resolutionRate', '#2da44e'], ['satisfactionRate', '#d29922']] as const;

function Trend({ periods, total }: { periods: string[]; total: RateRow[] }) {
  const { t } = useApp();
  const W = 720, H = 220, P = 36;
  const x = (i: number) => P + (periods.length <= 1 ? 0 : (i * (W - 2 * P)) / (periods.length - 1));
  const y = (v: number) => H - P - v * (H - 2 * P);
  const byPeriod = new Map(total.map((r) => [r.period, r]));
  return (
    <svg className="trend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('trend')}>
      {[0, 0.5, 1].map((v) => <g key={v}><line x1={P} x2={W - P} y1={y(v)} y2={y(v)} stroke="#ddd" /><text x={4} y={y(v) + 4} fontSize="11">{v * 100}%</text></g>)}
      {periods.map((p, i) => (i % Math.ceil(periods.length / 8) === 0 ? <text key={p} x={x(i)} y={H - 10} fontSize="10" textAnchor="middle">{p}</text> : null))}
      {SERIES.map(([k, color]) => {
        const pts = periods.map((p, i) => [i, byPeriod.get(p)?.[k] ?? null] as const).filter(([, v]) => v !== null) as [number, number][];
        return (
          <g key={k}>
            <polyline fill="none" stroke={color} strokeWidth={2} points={pts.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')} />
            {pts.map(([i, v]) => <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={color} />)}
          </g>
        );
      })}
      {SERIES.map(([k, color], i) => <text key={k} x={W - P - 250 + i * 90} y={16} fontSize="12" fill={color}>■ {t(k === 'responseRate' ? 'response' : k === 'resolutionRate' ? 'resolution' : 'satisfactionRate')}</text>)}
    </svg>
  );
}

export function Rates() {
  const { t, lang } = useApp();
  const [groupBy, setGroupBy] = useState<'unit' | 'village'>('unit');
  const [period, setPeriod] = useState<'week' | 'month'>('week');
  const [data, setData] = useState<RatesData | null>(null);
  useEffect(() => void staff.reports.rates({ query: { groupBy, period } }).then(setData), [groupBy, period]);
  return (
    <section>
      <h1>{t('rates')}</h1>
      <div className="toolbar no-print">
        <button type="button" className={groupBy === 'unit' ? 'on' : ''} onClick={() => setGroupBy('unit')}>{t('byUnit')}</button>
        <button type="button" className={groupBy === 'village' ? 'on' : ''} onClick={() => setGroupBy('village')}>{t('byVillage')}</button>
        <button type="button" className={period === 'week' ? 'on' : ''} onClick={() => setPeriod('week')}>{t('week')}</button>
        <button type="button" className={period === 'month' ? 'on' : ''} onClick={() => setPeriod('month')}>{t('month')}</button>
      </div>
      {data && (
        <>
          <h2>{t('trend')}</h2>
          <Trend periods={data.periods} total={data.total} />
          <table className="rates">
            <thead><tr><th>{t('period')}</th><th>{groupBy === 'unit' ? t('unit') : t('territory')}</th><th>{t('evaluated')}</th><th>{t('response')}</th><th>{t('resolution')}</th><th>{t('satisfactionRate')}</th><th>{t('satisfied')}/{t('basically')}/{t('unsatisfied')}</th></tr></thead>
            <tbody>{[...data.rows].reverse().map((r) => (
              <tr key={`${r.key}-${r.period}`}><td>{r.period}</td><td>{r.label || '—'}</td><td>{r.evaluated}</td><td>{pct(r.responseRate)}</td><td>{pct(r.resolutionRate)}</td><td>{pct(r.satisfactionRate)}</td><td>{r.satisfied}/{r.basically}/{r.unsatisfied}</td></tr>
            ))}</tbody>
          </table>
          <h2>{t('definitions')}</h2>
          <ul className="definitions">{Object.values(data.definitions[lang]).map((d) => <li key={d}>{d}</li>)}</ul>
        </>
      )}
    </section>
  );
}
