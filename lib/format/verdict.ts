// The plain-language verdict of a comparison: "On this machine, X answers 2.3× faster than Y for 40% less energy."
import type { Lang } from '../i18n/lang';
import { translate } from '../i18n/translate';
import { formatRatio, formatPercent, formatJPerToken } from './units';
import { isEstimate } from './energyLabel';

export interface VerdictItem {
  label: string;
  /** Generation tokens/s (null: not measured). */
  genTps: number | null;
  /** Joules per output token (null: not measured). */
  jpt: number | null;
  /** Energy source tag(s), e.g. "rapl" or "estimate". */
  energySource: string | null;
  /** Spread (σ) of genTps, when known: a difference within the spread is not called a speed-up. */
  genTpsSd?: number | null;
  /** Spread (σ) of jpt, when known. */
  jptSd?: number | null;
}

export interface VerdictOptions {
  /** True when every item ran on the same machine. */
  sameMachine: boolean;
  /** Comparisons of the fastest with the others; defaults to 3. */
  maxSentences?: number;
}

/** Below this relative difference two figures count as "about the same". */
const SAME = 0.05;

export function buildVerdict(items: readonly VerdictItem[], lang: Lang, options: VerdictOptions): string[] {
  const ranked = items.filter((i) => i.genTps !== null && i.genTps > 0).sort((a, b) => b.genTps! - a.genTps!);
  if (ranked.length < 2) return [];
  const prefix = translate(lang, options.sameMachine ? 'verdict.prefix.same' : 'verdict.prefix.mixed');
  const [a, ...others] = ranked;
  const sentences: string[] = [];
  for (const b of others.slice(0, options.maxSentences ?? 3)) {
    const ratio = a.genTps! / b.genTps!;
    let s =
      ratio < 1 + SAME
        ? translate(lang, 'verdict.sameSpeed', { prefix, a: a.label, b: b.label })
        : withinSpread(a.genTps!, b.genTps!, a.genTpsSd, b.genTpsSd)
          ? translate(lang, 'verdict.sameSpeedSpread', { prefix, a: a.label, b: b.label })
          : translate(lang, 'verdict.faster', { prefix, a: a.label, b: b.label, ratio: formatRatio(ratio, lang) });
    s += energyClause(a, b, lang);
    sentences.push(`${s}.`);
  }
  const withEnergy = items.filter((i) => i.jpt !== null && Number.isFinite(i.jpt));
  if (withEnergy.length >= 2) {
    const frugal = withEnergy.reduce((best, i) => (i.jpt! < best.jpt! ? i : best));
    if (frugal !== a) sentences.push(translate(lang, 'verdict.frugal', { a: frugal.label, value: formatJPerToken(frugal.jpt, lang) }));
  }
  return sentences;
}

function energyClause(a: VerdictItem, b: VerdictItem, lang: Lang): string {
  if (a.jpt === null || b.jpt === null || !(b.jpt > 0)) return translate(lang, 'verdict.noEnergy');
  const change = a.jpt / b.jpt - 1;
  let clause: string;
  if (Math.abs(change) < SAME || withinSpread(a.jpt, b.jpt, a.jptSd, b.jptSd)) clause = translate(lang, 'verdict.sameEnergy');
  else if (change < 0) clause = translate(lang, 'verdict.lessEnergy', { pct: formatPercent(-change * 100, lang) });
  else clause = translate(lang, 'verdict.moreEnergy', { pct: formatPercent(change * 100, lang) });
  if (isEstimate(a.energySource) || isEstimate(b.energySource)) clause += translate(lang, 'verdict.estimated');
  return clause;
}

/** True when two figures differ by less than their combined spread (σ of the difference). */
function withinSpread(a: number, b: number, sa: number | null | undefined, sb: number | null | undefined): boolean {
  if (!sa && !sb) return false;
  return Math.abs(a - b) <= Math.hypot(sa ?? 0, sb ?? 0);
}
