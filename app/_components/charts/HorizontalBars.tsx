'use client';
// One horizontal bar per item, its value written at the end of the bar ("not measured" when missing),
// with ± σ whiskers when given.
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Lang } from '@/lib/i18n/lang';
import { translate } from '@/lib/i18n/translate';
import { formatNumber, formatTick } from '@/lib/format/numbers';
import { color } from './palette';

export interface BarDatum {
  name: string;
  value: number | null;
  /** Whisker half-length (σ), drawn when given. */
  err?: number | null;
}

/** Category labels longer than the axis keep their start and end: "Meta-Llama-3.1…Q4_K_M". */
function shorten(label: string): string {
  return label.length <= 22 ? label : `${label.slice(0, 13)}…${label.slice(-8)}`;
}

export function HorizontalBars({ title, axis, data, lang, testId }: { title: string; axis: string; data: BarDatum[]; lang: Lang; testId: string }) {
  const notMeasured = translate(lang, 'common.notMeasured');
  const rows = data.map((d, index) => ({ ...d, err: d.err ?? 0, index }));
  const whiskers = rows.some((r) => r.err > 0);
  if (rows.every((r) => r.value === null)) {
    return (
      <figure className="chart" data-testid={testId}>
        <figcaption>{title}</figcaption>
        <p className="not-measured">{notMeasured}</p>
      </figure>
    );
  }
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div style={{ width: '100%', height: 70 + 40 * data.length }} role="img" aria-label={title}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 90, bottom: 22, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis
              type="number"
              domain={[0, 'auto']}
              tickFormatter={(v: number) => formatTick(v, lang)}
              label={{ value: axis, position: 'insideBottom', offset: -12 }}
            />
            <YAxis type="category" dataKey="name" width={200} interval={0} tickFormatter={shorten} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? formatNumber(v, lang) : notMeasured)} />
            <Bar dataKey="value" name={axis} isAnimationActive={false}>
              {rows.map((d) => (
                <Cell key={d.index} fill={color(d.index)} />
              ))}
              {whiskers ? <ErrorBar dataKey="err" direction="x" width={6} stroke="currentColor" /> : null}
              <LabelList
                dataKey="value"
                content={(props) => {
                  const { x, y, width, height, index } = props as { x?: number | string; y?: number | string; width?: number | string; height?: number | string; index?: number };
                  const row = rows[index ?? 0];
                  if (!row) return null;
                  const bx = Number(x ?? 0);
                  const bw = Number(width ?? 0);
                  // Past the whisker: the bar's length is its value, so σ in pixels is width · err / value.
                  const whisker = row.value && row.err ? (bw * row.err) / row.value : 0;
                  return (
                    <text x={bx + Math.max(bw, 0) + whisker + 6} y={Number(y ?? 0) + Number(height ?? 0) / 2} dominantBaseline="central" className="bar-label">
                      {row.value === null ? notMeasured : formatNumber(row.value, lang)}
                    </text>
                  );
                }}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
