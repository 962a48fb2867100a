// Locale-aware numbers for the dashboard: a precision chosen from the magnitude, the same for a figure and its σ.
import type { Lang } from '../i18n/lang';

/** No-break space between a number and its unit, so "1,482 tok/s" never wraps. */
export const NBSP = '\u00a0';

export interface Precision {
  /** Fixed decimals (for |x| ≥ 1); ignored when `significant` is set. */
  decimals?: number;
  /** Significant digits (for |x| < 1). */
  significant?: number;
}

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, precision: Precision): Intl.NumberFormat {
  const key = `${lang}|${precision.decimals ?? ''}|${precision.significant ?? ''}`;
  let nf = cache.get(key);
  if (!nf) {
    nf =
      precision.significant !== undefined
        ? new Intl.NumberFormat(lang, { maximumSignificantDigits: precision.significant })
        : new Intl.NumberFormat(lang, {
            minimumFractionDigits: precision.decimals ?? 0,
            maximumFractionDigits: precision.decimals ?? 0,
          });
    cache.set(key, nf);
  }
  return nf;
}

/**
 * The precision that suits a magnitude: 0 decimals from 100, 1 from 10, 2 from 1, else 3 significant digits
 * ("1,482", "31.3", "2.35", "0.412").
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
  const a = Math.abs(x);
  const key = a >= 100 || a === 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : -1;
  const cacheKey = `tick|${lang}|${key}`;
  let nf = cache.get(cacheKey);
  if (!nf) {
    nf = key < 0 ? new Intl.NumberFormat(lang, { maximumSignificantDigits: 3 }) : new Intl.NumberFormat(lang, { maximumFractionDigits: key });
    cache.set(cacheKey, nf);
  }
  return nf.format(x);
}
