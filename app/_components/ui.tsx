// Small display pieces shared by the pages (server components: plain markup, no state).
import type { ReactNode } from 'react';
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { DisplayStatus } from '@/lib/records/runLabels';
import { describeBasis, describeBoundary, isEstimate, shortSource, sortBoundaries, type EnergyBasis } from '@/lib/format/energyLabel';
import { notMeasured } from '@/lib/format/units';

const STATUS_MARK: Record<DisplayStatus, string> = {
  completed: '✓',
  running: '●',
  failed: '✕',
  interrupted: '‖',
  stale: '‖',
};

/** A status with a symbol as well as a colour, so it reads without colour vision. */
export function StatusBadge({ status, lang }: { status: DisplayStatus; lang: Lang }) {
  return (
    <span className={`badge status-${status}`}>
      <span aria-hidden="true">{STATUS_MARK[status]}</span>
      {translate(lang, `status.${status}` as MessageKey)}
    </span>
  );
}

/** A formatted figure; a missing one reads "not measured" in muted italics. */
export function Value({ value, text, lang }: { value: number | null | undefined; text: string; lang: Lang }) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return <span className="not-measured">{notMeasured(lang)}</span>;
  }
  return <>{text}</>;
}

/** Where an energy figure comes from: "RAPL · CPU package", "estimate · CPU package" (dashed, italic). */
export function EnergyTag({ source, boundaries, lang }: { source: string | null; boundaries: string[]; lang: Lang }) {
  if (!source) return null;
  const where = sortBoundaries(boundaries).map((b) => describeBoundary(b, lang)).join(' + ');
  return (
    <span className={`tag${isEstimate(source) ? ' estimate' : ''}`}>
      {shortSource(source, lang)}
      {where ? ` · ${where}` : ''}
    </span>
  );
}

/** Whether an energy figure is measured, estimated or both ("measured + estimated"); nothing when there is none. */
export function BasisTag({ basis, lang }: { basis: EnergyBasis; lang: Lang }) {
  if (basis === 'none') return null;
  return (
    <span className={`tag${basis === 'measured' ? '' : ' estimate'}`} data-testid="energy-basis">
      {describeBasis(basis, lang)}
    </span>
  );
}

/** Text with `code` spans written between backticks, as in "run `wattbench run --model …`". */
export function WithCode({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : <span key={i}>{p}</span>))}
    </>
  );
}

export function EmptyState({ lang, path, reason = 'absent', problem }: { lang: Lang; path: string; reason?: 'absent' | 'gone' | 'unreadable'; problem?: string }) {
  if (reason !== 'absent') {
    // The file the dashboard was reading was deleted or replaced by one it cannot read: say so, not "no runs yet".
    return (
      <div className="empty-state" data-testid="database-problem" role="alert">
        <h1>{translate(lang, reason === 'gone' ? 'empty.gone.title' : 'empty.unreadable.title')}</h1>
        <p>
          <WithCode text={translate(lang, reason === 'gone' ? 'empty.gone.body' : 'empty.unreadable.body', { path, problem: problem ?? '' })} />
        </p>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="empty-state">
      <h1>{translate(lang, 'empty.title')}</h1>
      <p>
        <WithCode text={translate(lang, 'empty.body')} />
      </p>
      <p className="muted">{translate(lang, 'empty.dbPath', { path })}</p>
    </div>
  );
}

export function Figure({ label, children, sub }: { label: string; children: ReactNode; sub?: ReactNode }) {
  return (
    <div className="figure">
      <div className="label">{label}</div>
      <div className="value">{children}</div>
      {sub ? <div className="sub">{sub}</div> : null}
    </div>
  );
}
