'use client';
// Accuracy (higher is better) against joules per correct answer (lower is better), with the Pareto frontier.
import { CartesianGrid, Symbols, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { CompareItem } from '@/lib/queries/getCompareData';
import { paretoFrontier } from '@/lib/series/pareto';
import { formatNumber, formatTick } from '@/lib/format/numbers';
import { color, shape } from './palette';

export function QualityScatter({ items, lang }: { items: CompareItem[]; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const graded = items.map((it, index) => ({ it, index })).filter(({ it }) => it.quality !== null);
  if (graded.length === 0) return null;
  const points = graded
    .map(({ it, index }) => ({ key: it.key, label: it.label, index, x: it.quality!.accuracy.p * 100, y: it.quality!.joulesPerCorrect ?? NaN }))
    .filter((p) => Number.isFinite(p.y));
  const off = graded.filter(({ it }) => !points.some((p) => p.key === it.key)).map(({ it }) => it.label);
  const frontier = paretoFrontier(points);
  const ys = points.map((p) => p.y);
  const logY = ys.length > 0 && Math.max(...ys) / Math.max(Math.min(...ys), 1e-12) > 20;
  const yDomain: [number, number] = ys.length ? (logY ? [Math.min(...ys) / 1.6, Math.max(...ys) * 1.6] : [0, Math.max(...ys) * 1.15 || 1]) : [0, 1];
  const tick = (v: number) => formatTick(v, lang);
  return (
    <figure className="chart" data-testid="chart-compare-quality">
      <figcaption>
        {t('compare.chart.quality')} <span className="chart-note">— {t('compare.qualityFrontier')}</span>
      </figcaption>
      {points.length === 0 ? null : (
        <>
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
          <div className="chart-body tall" role="img" aria-label={t('compare.chart.quality')}>
            <ResponsiveContainer width="100%" height="100%">
              <ScatterChart margin={{ top: 8, right: 24, bottom: 24, left: 16 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  type="number"
                  dataKey="x"
                  name={t('compare.axis.accuracy')}
                  domain={[0, 100]}
                  tickFormatter={tick}
                  label={{ value: t('compare.axis.accuracy'), position: 'insideBottom', offset: -14 }}
                />
                <YAxis
                  type="number"
                  dataKey="y"
                  name={t('compare.axis.jPerCorrect')}
                  scale={logY ? 'log' : 'auto'}
                  domain={yDomain}
                  tickFormatter={tick}
                  width={72}
                  allowDataOverflow
                  label={{ value: t('compare.axis.jPerCorrect'), angle: -90, position: 'insideLeft', style: { textAnchor: 'middle' } }}
                />
                <ZAxis range={[110, 110]} />
                <Tooltip formatter={(v) => (typeof v === 'number' ? formatNumber(v, lang) : String(v))} cursor={{ strokeDasharray: '3 3' }} />
                {frontier.length > 1 ? (
                  <Scatter
                    name={t('compare.frontierShort')}
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
        </>
      )}
      {off.length ? <p className="muted">{t('compare.qualityOffChart', { list: off.join(', ') })}</p> : null}
    </figure>
  );
}
