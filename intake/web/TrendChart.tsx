// A trend of the three rates drawn with ECharts (the charting library of Chinese government
// dashboards; docs/DECISIONS.md): one line per rate, the values on hover (axis tooltip), SVG so it
// prints sharp and screenshots the same everywhere. Only the parts used are bundled.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { pct } from './format.ts';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface TrendSeries {
  name: string;
  color: string;
  values: (number | null)[];
}

export function TrendChart({ periods, series, label }: { periods: string[]; series: TrendSeries[]; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      color: series.map((s) => s.color),
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => pct(typeof v === 'number' ? v : null) },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 36, bottom: 32 },
      xAxis: { type: 'category', data: periods, boundaryGap: false },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      series: series.map((s) => ({ name: s.name, type: 'line', data: s.values, connectNulls: true, symbolSize: 6 })),
    });
    const onResize = () => chart.resize();
    addEventListener('resize', onResize);
    return () => {
      removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [periods, series]);
  return <div ref={el} className="trend" role="img" aria-label={label} style={{ height: 260 }} />;
}
