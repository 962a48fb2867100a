// The one number and duration formatter behind the terminal (with 'en'), the exports and the pages:
// a precision chosen from the magnitude, the same for a figure and its σ.
import type { Lang } from '../i18n/lang';
import { translate } from '../i18n/translate';

/** No-break space between a number and its unit, so "1,482 tok/s" never wraps. */
export const NBSP = '\u00a0';

export interface Precision {
  /** Fixed decimals (for |x| ≥ 1); ignored when `significant` is set. */
  decimals?: number;
  /** Significant digits (for |x| < 1). */
  significant?: number;
  /** Drop trailing zeros ("2" not "2.00"): for axis ticks and estimates whose digits are not all meaningful. */
  trim?: boolean;
}

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, precision: Precision): Intl.NumberFormat {
  const key = `${lang}|${precision.decimals ?? ''}|${precision.significant ?? ''}|${precision.trim ? 't' : ''}`;
  let nf = cache.get(key);
  if (!nf) {
    nf =
      precision.significant !== undefined
        ? new Intl.NumberFormat(lang, { maximumSignificantDigits: precision.significant })
        : new Intl.NumberFormat(lang, {
            minimumFractionDigits: precision.trim ? 0 : (precision.decimals ?? 0),
            maximumFractionDigits: precision.decimals ?? 0,
          });
    cache.set(key, nf);
  }
  return nf;
}

/**
 * The precision that suits a magnitude: 0 decimals from 100, 1 from 10, 2 from 1, else 3 significant digits
 * ("1,482", "31.3", "2.35", "0.412", "0.00123"). The one rule everywhere: below 1 it keeps three significant
 * digits rather than three decimals, so a small J/token never prints as "0.000".
 */
export function precisionFor(x: number): Precision {
  const a = Math.abs(x);
  if (a >= 100) return { decimals: 0 };
  if (a >= 10) return { decimals: 1 };
  if (a >= 1 || a === 0) return { decimals: a === 0 ? 0 : 2 };
  return { significant: 3 };
}

/** Formats with an explicit precision, or the one {@link precisionFor} picks. */
export function formatNumber(x: number, lang: Lang, precision: Precision = precisionFor(x)): string {
  return numberFormat(lang, precision).format(x);
}

/** An integer count with grouping: "12,345" / "12 345". */
export function formatCount(x: number, lang: Lang): string {
  return numberFormat(lang, { decimals: 0 }).format(x);
}

/** Axis ticks: the magnitude's precision without trailing zeros ("12", "2.5", "0.125", "1,000"). */
export function formatTick(x: number, lang: Lang): string {
  return formatNumber(x, lang, { ...precisionFor(x), trim: true });
}

/** A parameter count as model names write it, without trailing zeros: 260K, 15M, 25.3M, 1.54B ('—' when unknown). */
export function formatParameterCount(n: number | null, lang: Lang): string {
  if (n === null) return '—';
  const [value, suffix] = n >= 1e9 ? [n / 1e9, 'B'] : n >= 1e6 ? [n / 1e6, 'M'] : n >= 1e3 ? [n / 1e3, 'K'] : [n, ''];
  return `${formatTick(value, lang)}${suffix}`;
}

/** A figure and its σ at one precision, chosen from the figure; a σ that rounds to zero keeps its own digits. */
export function formatWithSd(value: number, sd: number, lang: Lang): [value: string, sd: string] {
  const precision = precisionFor(value);
  let spread = formatNumber(sd, lang, precision);
  if (sd > 0 && /^[0\s.,\u202f\u00a0]+$/.test(spread)) spread = formatNumber(sd, lang, precisionFor(sd));
  return [formatNumber(value, lang, precision), spread];
}

/**
 * A duration: "850 ms", "4.2 s", "42 s", "1 min 05 s", "2 h 03 min". Rounded to the precision shown before
 * choosing the unit, so that 59.96 s reads "1 min 00 s" and 119.6 s "2 min 00 s", never "1 min 60 s".
 * `space` joins a number and its unit: a no-break space on pages, a plain one in the terminal.
 */
export function formatDuration(ms: number | null | undefined, lang: Lang, space: string = NBSP): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return translate(lang, 'common.notMeasured');
  if (Math.round(ms) < 1000) return `${formatNumber(Math.round(ms), lang, { decimals: 0 })}${space}ms`;
  const tenths = Math.round(ms / 100) / 10;
  if (tenths < 10) return `${formatNumber(tenths, lang, { decimals: 1 })}${space}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${formatNumber(seconds, lang, { decimals: 0 })}${space}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}${space}min ${String(seconds % 60).padStart(2, '0')}${space}s`;
  const minutes = Math.round(ms / 60_000);
  return `${formatCount(Math.floor(minutes / 60), lang)}${space}h ${String(minutes % 60).padStart(2, '0')}${space}min`;
}
