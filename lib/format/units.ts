// Figures with their units, in English or French. A missing figure reads "not measured", never 0.
import type { Lang } from '../i18n/lang';
import { translate } from '../i18n/translate';
import type { MetricSummary } from '../stats/summarize';
import { NBSP, formatNumber, formatWithSd, precisionFor, type Precision } from './numbers';

/** Unit symbols per language (French typography: "Gio", "J/jeton"). */
const UNITS = {
  tokPerSec: { en: 'tok/s', fr: 'tok/s' },
  ms: { en: 'ms', fr: 'ms' },
  s: { en: 's', fr: 's' },
  jPerToken: { en: 'J/token', fr: 'J/jeton' },
  jPerCorrect: { en: 'J/correct answer', fr: 'J/bonne réponse' },
  joules: { en: 'J', fr: 'J' },
  watts: { en: 'W', fr: 'W' },
  gib: { en: 'GiB', fr: 'Gio' },
  mib: { en: 'MiB', fr: 'Mio' },
  wh: { en: 'Wh', fr: 'Wh' },
  gco2e: { en: 'gCO₂e', fr: 'gCO₂e' },
  ml: { en: 'mL', fr: 'mL' },
  tokens: { en: 'tokens', fr: 'jetons' },
  gPerKwh: { en: 'gCO₂e/kWh', fr: 'gCO₂e/kWh' },
} as const satisfies Record<string, Record<Lang, string>>;

export type UnitKey = keyof typeof UNITS;

export function unit(key: UnitKey, lang: Lang): string {
  return UNITS[key][lang];
}

/** "not measured" in the page's language. */
export function notMeasured(lang: Lang): string {
  return translate(lang, 'common.notMeasured');
}

/** A number and its unit; null or a non-finite value reads "not measured". */
export function formatWithUnit(x: number | null | undefined, key: UnitKey, lang: Lang, precision?: Precision): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return notMeasured(lang);
  return `${formatNumber(x, lang, precision ?? precisionFor(x))}${NBSP}${unit(key, lang)}`;
}

export const formatTokPerSec = (x: number | null | undefined, lang: Lang) => formatWithUnit(x, 'tokPerSec', lang);
export const formatMs = (x: number | null | undefined, lang: Lang) => formatWithUnit(x, 'ms', lang);
export const formatJPerToken = (x: number | null | undefined, lang: Lang) => formatWithUnit(x, 'jPerToken', lang);
export const formatJoules = (x: number | null | undefined, lang: Lang) => formatWithUnit(x, 'joules', lang);
export const formatWatts = (x: number | null | undefined, lang: Lang) => formatWithUnit(x, 'watts', lang);
export const formatWh = (x: number | null | undefined, lang: Lang) => formatWithUnit(x, 'wh', lang);
export const formatGco2e = (x: number | null | undefined, lang: Lang) => formatWithUnit(x, 'gco2e', lang);
export const formatMl = (x: number | null | undefined, lang: Lang) => formatWithUnit(x, 'ml', lang);

const GIB = 1024 ** 3;

/** Bytes shown in GiB ("Gio" in French). */
export function formatGiB(bytes: number | null | undefined, lang: Lang): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return notMeasured(lang);
  return formatWithUnit(bytes / GIB, 'gib', lang);
}

/** Bytes in MiB below 1 GiB, else GiB: "1.13 MiB", "4.58 GiB" ("Mio", "Gio" in French). */
export function formatBytes(bytes: number | null | undefined, lang: Lang): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return notMeasured(lang);
  return bytes >= GIB ? formatWithUnit(bytes / GIB, 'gib', lang) : formatWithUnit(bytes / 1024 ** 2, 'mib', lang);
}

/** A CPU share 0–100 as "45%" / "45 %". */
export function formatPercent(percent: number | null | undefined, lang: Lang, decimals = 0): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return notMeasured(lang);
  return new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(
    percent / 100,
  );
}

/** A ratio such as a speed-up: "2.3×" / "2,3×". */
export function formatRatio(ratio: number, lang: Lang): string {
  const decimals = ratio >= 10 ? 0 : 1;
  return `${formatNumber(ratio, lang, { decimals })}×`;
}

/**
 * Mean ± σ with one precision for both, chosen from the mean: "1,482 ± 31 tok/s".
 * A single repetition shows the mean alone; a missing metric reads "not measured".
 */
export function formatMeanSd(summary: MetricSummary | null | undefined, key: UnitKey, lang: Lang): string {
  if (!summary) return notMeasured(lang);
  return formatValueSd(summary.mean, summary.n < 2 ? null : summary.sd, key, lang);
}

/** A value and an optional spread: "1,482 ± 31 tok/s", or "1,482 tok/s" when σ is null. */
export function formatValueSd(value: number | null | undefined, sd: number | null | undefined, key: UnitKey, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return notMeasured(lang);
  if (sd === null || sd === undefined || !Number.isFinite(sd)) return formatWithUnit(value, key, lang);
  const [mean, spread] = formatWithSd(value, sd, lang);
  return `${mean} ± ${spread}${NBSP}${unit(key, lang)}`;
}

/** A range "low – high unit", each end at its own precision: "0.12 – 0.45 Wh". */
export function formatRange(low: number | null | undefined, high: number | null | undefined, key: UnitKey, lang: Lang): string {
  if (low === null || low === undefined || high === null || high === undefined || !Number.isFinite(low) || !Number.isFinite(high)) {
    return notMeasured(lang);
  }
  if (low === high) return formatWithUnit(low, key, lang);
  return `${formatNumber(low, lang)} – ${formatNumber(high, lang)}${NBSP}${unit(key, lang)}`;
}

/** A prediction and its band: "12.3 tok/s (9.8 – 14.8)". */
export function formatBanded(b: { value: number; low: number; high: number } | null | undefined, key: UnitKey, lang: Lang): string {
  if (!b || !Number.isFinite(b.value)) return notMeasured(lang);
  return `${formatWithUnit(b.value, key, lang)} (${formatNumber(b.low, lang)} – ${formatNumber(b.high, lang)})`;
}
