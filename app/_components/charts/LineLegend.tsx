'use client';
import { color, dash } from './palette';

/** An HTML legend (it wraps instead of covering the plot), each swatch with the series' dash pattern. */
export function LineLegend({ lines }: { lines: { key: string; name: string }[] }) {
  return (
    <ul className="chart-legend">
      {lines.map((l, i) => (
        <li key={l.key}>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="1" y1="5" x2="27" y2="5" stroke={color(i)} strokeWidth="3" strokeDasharray={dash(i)} />
          </svg>
          {l.name}
        </li>
      ))}
    </ul>
  );
}
