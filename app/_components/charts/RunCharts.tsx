'use client';
// Time series of one run: power by source, CPU, memory and tokens/s, with prompt boundaries and phases.
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { RunSeries } from '@/lib/queries/getRunSeries';
import type { Point } from '@/lib/series/minMaxBuckets';
import { formatNumber, formatTick } from '@/lib/format/numbers';
import { describeBoundary, shortSource } from '@/lib/format/energyLabel';
import { color, dash } from './palette';
import { LineLegend } from './LineLegend';

interface LineSpec {
  key: string;
  name: string;
  points: Point[];
}

function TimeChart({
  title,
  yLabel,
  lines,
  series,
  lang,
  yDomain,
  unit,
  testId,
}: {
  title: string;
  yLabel: string;
  lines: LineSpec[];
  series: RunSeries;
  lang: Lang;
  yDomain?: [number, number | 'auto'];
  unit: string;
  testId: string;
}) {
  const tick = (v: number) => formatTick(v, lang);
  const shaded = series.phases.filter((p) => p.phase !== 'measure' && p.to > p.from).slice(0, 20);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {lines.length > 1 ? <LineLegend lines={lines} /> : null}
      <div className="chart-body" role="img" aria-label={`${title}: ${yLabel}, ${translate(lang, 'detail.axis.time')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 8, right: 16, bottom: 22, left: 12 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={[0, Math.max(series.durationS, 0.001)]}
              tickFormatter={tick}
              label={{ value: translate(lang, 'detail.axis.time'), position: 'insideBottom', offset: -12 }}
              allowDataOverflow
            />
            <YAxis
              type="number"
              domain={yDomain ?? [0, 'auto']}
              tickFormatter={tick}
              width={64}
              label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 0, style: { textAnchor: 'middle' } }}
            />
            <Tooltip
              formatter={(v) => (typeof v === 'number' ? `${formatNumber(v, lang)} ${unit}` : String(v))}
              labelFormatter={(x) => (typeof x === 'number' ? `${formatNumber(x, lang)} s` : String(x))}
            />
            {shaded.map((p, i) => (
              <ReferenceArea key={`${p.phase}-${i}`} x1={p.from} x2={p.to} fillOpacity={0.08} ifOverflow="hidden" />
            ))}
            {series.promptBoundaries.map((b) => (
              <ReferenceLine key={`b-${b.x}-${b.promptIndex}`} x={b.x} stroke="#888" strokeDasharray="3 4" ifOverflow="hidden" />
            ))}
            {lines.map((l, i) => (
              <Line
                key={l.key}
                data={l.points}
                dataKey="y"
                name={l.name}
                type="linear"
                stroke={color(i)}
                strokeDasharray={dash(i)}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** `monitor`: a monitor run's charts: the watched process's CPU beside the machine's, its RSS, no tokens/s. */
export function RunCharts({ series, lang, monitor = false }: { series: RunSeries; lang: Lang; monitor?: boolean }) {
  const t = (k: MessageKey) => translate(lang, k);
  const powerLines: LineSpec[] = series.power.map((p) => ({
    key: p.key,
    name:
      p.key === 'total'
        ? t('detail.series.powerTotal')
        : `${shortSource(p.source, lang)} · ${p.domain} (${describeBoundary(p.boundary, lang)})`,
    points: p.points,
  }));
  return (
    <div className="charts">
      {powerLines.length ? (
        <TimeChart title={t('detail.chart.power')} yLabel={t('detail.axis.power')} unit="W" lines={powerLines} series={series} lang={lang} testId="chart-power" />
      ) : (
        <figure className="chart" data-testid="chart-power">
          <figcaption>{t('detail.chart.power')}</figcaption>
          <p className="not-measured">{t('detail.noPower')}</p>
        </figure>
      )}
      <TimeChart
        title={t('detail.chart.cpu')}
        yLabel={t('detail.axis.cpu')}
        unit="%"
        yDomain={[0, 100]}
        lines={[
          { key: 'cpu', name: t('detail.series.cpu'), points: series.cpu },
          ...(monitor && series.processCpu?.length ? [{ key: 'process-cpu', name: t('monitor.series.processCpu'), points: series.processCpu }] : []),
        ]}
        series={series}
        lang={lang}
        testId="chart-cpu"
      />
      <TimeChart
        title={t('detail.chart.memory')}
        yLabel={t('detail.axis.memory')}
        unit={lang === 'fr' ? 'Gio' : 'GiB'}
        lines={[
          ...(series.rssGiB.length || !monitor ? [{ key: 'rss', name: t(monitor ? 'monitor.series.rss' : 'detail.series.rss'), points: series.rssGiB }] : []),
          { key: 'mem', name: t('detail.series.memUsed'), points: series.memUsedGiB },
        ]}
        series={series}
        lang={lang}
        testId="chart-memory"
      />
      {monitor ? null : (
      <TimeChart
        title={t('detail.chart.tps')}
        yLabel={t('detail.axis.tps')}
        unit="tok/s"
        lines={[{ key: 'tps', name: t('detail.series.tps'), points: series.tokensPerSec }]}
        series={series}
        lang={lang}
        testId="chart-tps"
      />
      )}
    </div>
  );
}
