// A log-scale range plot drawn on the server: one row per figure — a dot for the local figure, a bar for a
// cloud range, a diamond for a published reference point. Labels are HTML so they wrap on a phone.
import type { Lang } from '@/lib/i18n/lang';
import { formatTick } from '@/lib/format/numbers';

export interface RangeRow {
  key: string;
  label: string;
  kind: 'local' | 'cloud' | 'published';
  low: number;
  high: number;
  /** The value as text, with its unit ("0.12 – 0.45 Wh"). */
  text: string;
  /** A caveat said beside the figure (an estimate's fit warning, a constant-term note). */
  note?: string | null;
}

const KIND_COLOR = { local: '#0072B2', cloud: '#E69F00', published: '#CC79A7' } as const;

export function RangePlot({ title, rows, lang, unitLabel, testId }: { title: string; rows: RangeRow[]; lang: Lang; unitLabel: string; testId: string }) {
  const values = rows.flatMap((r) => [r.low, r.high]).filter((v) => v > 0 && Number.isFinite(v));
  if (!values.length) return null;
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
  const at = (v: number) => ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * 96 + 2;
  const pos = (v: number) => `${at(v).toFixed(2)}%`;
  const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return (
    <figure className="chart range-figure" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div className="range-rows" role="list">
        {rows.map((r) => (
          <div className="range-row" role="listitem" key={r.key}>
            <div className="range-label">
              {r.label}
              <div className="muted">{r.text}</div>
              {r.note ? (
                <div className="range-note" data-testid="range-note">
                  <span aria-hidden="true">⚠ </span>
                  {r.note}
                </div>
              ) : null}
            </div>
            <svg className="range-track" height="26" width="100%" aria-hidden="true">
              {ticks.map((tk) => (
                <line key={tk} x1={pos(10 ** tk)} x2={pos(10 ** tk)} y1="0" y2="26" stroke="var(--grid)" />
              ))}
              {r.kind === 'cloud' ? (
                <rect
                  x={pos(r.low)}
                  y="6"
                  width={`${Math.max(0.8, at(r.high) - at(r.low)).toFixed(2)}%`}
                  height="14"
                  rx="3"
                  fill={KIND_COLOR.cloud}
                />
              ) : (
                <svg x={pos(r.low)} y="13" overflow="visible">
                  <path
                    d={r.kind === 'local' ? 'M -8 0 A 8 8 0 1 0 8 0 A 8 8 0 1 0 -8 0 Z' : 'M 0 -9 L 9 0 L 0 9 L -9 0 Z'}
                    fill={KIND_COLOR[r.kind]}
                    stroke="var(--bg)"
                    strokeWidth="1.5"
                  />
                </svg>
              )}
            </svg>
          </div>
        ))}
        <div className="range-row range-axis" aria-hidden="true">
          <div className="range-label muted">{unitLabel}</div>
          <svg className="range-track" height="20" width="100%">
            {ticks.map((tk) => (
              <text key={tk} x={pos(10 ** tk)} y="14" textAnchor="middle" fontSize="12" fill="var(--muted)">
                {formatTick(10 ** tk, lang)}
              </text>
            ))}
          </svg>
        </div>
      </div>
    </figure>
  );
}

export function RangeLegend({ local, cloud, published }: { local: string; cloud: string; published: string }) {
  const item = (c: string, d: string, label: string) => (
    <span>
      <svg width="18" height="18" viewBox="-9 -9 18 18" aria-hidden="true">
        <path d={d} fill={c} />
      </svg>{' '}
      {label}
    </span>
  );
  return (
    <div className="legend-inline">
      {item(KIND_COLOR.local, 'M -7 0 A 7 7 0 1 0 7 0 A 7 7 0 1 0 -7 0 Z', local)}
      {item(KIND_COLOR.cloud, 'M -8 -5 H 8 V 5 H -8 Z', cloud)}
      {item(KIND_COLOR.published, 'M 0 -8 L 8 0 L 0 8 L -8 0 Z', published)}
    </div>
  );
}
