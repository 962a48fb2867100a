// A run's accuracy and energy per correct answer as text, in English or French (terminal, pages).
import type { Lang } from '../i18n/lang';
import { translate } from '../i18n/translate';
import type { QualitySummary } from '../quality/summarizeQuality';
import { formatCount } from './numbers';
import { formatPercent, formatWithUnit } from './units';

/** "62 % right (41/66; 95 % interval 50 %–73 %)". */
export function formatAccuracy(q: Pick<QualitySummary, 'accuracy' | 'correct' | 'graded'>, lang: Lang): string {
  return translate(lang, 'quality.accuracyValue', {
    pct: formatPercent(q.accuracy.p * 100, lang),
    correct: formatCount(q.correct, lang),
    graded: formatCount(q.graded, lang),
    low: formatPercent(q.accuracy.low * 100, lang),
    high: formatPercent(q.accuracy.high * 100, lang),
  });
}

/** "12.3 J/correct answer"; "no correct answer" when none was right; "not measured" without energy. */
export function formatJPerCorrect(q: Pick<QualitySummary, 'correct' | 'joulesPerCorrect'>, lang: Lang): string {
  if (q.correct === 0) return translate(lang, 'quality.noCorrect');
  return formatWithUnit(q.joulesPerCorrect, 'jPerCorrect', lang);
}
