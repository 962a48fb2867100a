'use client';
// Bars of speed, time to first token and energy per token (median, whiskers ± σ), and speed against energy
// with the Pareto frontier.
import {
  CartesianGrid,
  Symbols,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from 'recharts';
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { CompareItem, CompareStat } from '@/lib/queries/getCompareData';
import { paretoFrontier } from '@/lib/series/pareto';
import { formatNumber, formatTick } from '@/lib/format/numbers';
import { color, shape } from './palette';
import { HorizontalBars, type BarDatum } from './HorizontalBars';

type Metric = 'genTokensPerSec' | 'ttftMs' | 'joulesPerToken';

const bars = (items: CompareItem[], metric: Metric): BarDatum[] =>
  items.map((it) => {
    const s: CompareStat | null = it[metric];
    return { name: it.label, value: s?.value ?? null, err: s?.sd ?? null };
  });

export function CompareCharts({ items, lang }: { items: CompareItem[]; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const points = items
    .map((it, i) => ({ key: it.key, label: it.label, index: i, x: it.genTokensPerSec?.value ?? NaN, y: it.joulesPerToken?.value ?? NaN }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const off = items.filter((it) => !points.some((p) => p.key === it.key)).map((it) => it.label);
  const frontier = paretoFrontier(points);
  const span = (vs: number[]) => (vs.length ? Math.max(...vs) / Math.max(Math.min(...vs), 1e-12) : 1);
  const logX = span(points.map((p) => p.x)) > 20;
  const logY = span(points.map((p) => p.y)) > 20;
  const domain = (vs: number[], log: boolean): [number, number] => {
    if (!vs.length) return [0, 1];
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    return log ? [lo / 1.6, hi * 1.6] : [0, hi * 1.15 || 1];
  };
  const fmt = (v: number) => formatNumber(v, lang);
  /** Ticks at 1, 2 and 5 × 10ⁿ inside a log axis' domain. */
  const logTicks = ([lo, hi]: [number, number]) => {
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo && v <= hi) ticks.push(v);
      }
    }
    return ticks;
  };
  const xDomain = domain(points.map((p) => p.x), logX);
  const yDomain = domain(points.map((p) => p.y), logY);
  const tick = (v: number) => formatTick(v, lang);
  return (
    <>
      <div className="charts">
        <HorizontalBars data={bars(items, 'genTokensPerSec')} title={t('compare.chart.genTps')} axis={t('compare.axis.genTps')} lang={lang} testId="chart-compare-tps" />
        <HorizontalBars data={bars(items, 'ttftMs')} title={t('compare.chart.ttft')} axis={t('compare.axis.ttft')} lang={lang} testId="chart-compare-ttft" />
        <HorizontalBars data={bars(items, 'joulesPerToken')} title={t('compare.chart.jpt')} axis={t('compare.axis.jpt')} lang={lang} testId="chart-compare-jpt" />
      </div>
      <p className="muted">{t('compare.errorBars')}</p>
      <figure className="chart" data-testid="chart-compare-scatter">
        <figcaption>
          {t('compare.chart.scatter')} <span className="chart-note">— {t('compare.frontier')}</span>
        </figcaption>
        {points.length === 0 ? null : (
          <ul className="chart-legend">
            {frontier.length > 1 ? (
              <li>
                <svg width="28" height="10" aria-hidden="true">
                  <line x1="1" y1="5" x2="27" y2="5" stroke="#888" strokeWidth="2" strokeDasharray="6 4" />
                </svg>
                {t('compare.frontierShort')}
              </li>
            ) : null}
            {points.map((p) => (
              <li key={p.key}>
                <svg width="16" height="16" aria-hidden="true">
                  <Symbols cx={8} cy={8} type={shape(p.index)} size={90} fill={color(p.index)} />
                </svg>
                {p.label}
              </li>
            ))}
          </ul>
        )}
        {points.length === 0 ? null : (
          <div className="chart-body tall" role="img" aria-label={t('compare.chart.scatter')}>
            <ResponsiveContainer width="100%" height="100%">
              <ScatterChart margin={{ top: 8, right: 24, bottom: 24, left: 16 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  type="number"
                  dataKey="x"
                  name={t('compare.axis.genTps')}
                  scale={logX ? 'log' : 'auto'}
                  domain={xDomain}
                  ticks={logX ? logTicks(xDomain) : undefined}
                  tickFormatter={tick}
                  allowDataOverflow
                  label={{ value: t('compare.axis.genTps'), position: 'insideBottom', offset: -14 }}
                />
                <YAxis
                  type="number"
                  dataKey="y"
                  name={t('compare.axis.jpt')}
                  scale={logY ? 'log' : 'auto'}
                  domain={yDomain}
                  ticks={logY ? logTicks(yDomain) : undefined}
                  tickFormatter={tick}
                  width={72}
                  allowDataOverflow
                  label={{ value: t('compare.axis.jpt'), angle: -90, position: 'insideLeft', style: { textAnchor: 'middle' } }}
                />
                <ZAxis range={[110, 110]} />
                <Tooltip formatter={(v) => (typeof v === 'number' ? fmt(v) : String(v))} cursor={{ strokeDasharray: '3 3' }} />
                  {frontier.length > 1 ? (
                  <Scatter
                    name={t('compare.frontier')}
                    data={frontier}
                    line={{ stroke: '#888', strokeDasharray: '6 4', strokeWidth: 2 }}
                    shape={() => <g />}
                    legendType="line"
                    isAnimationActive={false}
                  />
                ) : null}
                {points.map((p) => (
                  <Scatter key={p.key} name={p.label} data={[p]} fill={color(p.index)} shape={shape(p.index)} isAnimationActive={false} />
                ))}
              </ScatterChart>
            </ResponsiveContainer>
          </div>
        )}
        {off.length ? <p className="muted">{t('compare.offChart', { list: off.join(', ') })}</p> : null}
      </figure>
    </>
  );
}
