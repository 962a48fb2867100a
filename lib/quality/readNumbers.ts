// The numbers written in a model's answer, in English or French:
//  - "." is always a decimal point ("1.5");
//  - "," is a decimal comma ("1,5"), except in English before exactly three digits, where it groups thousands
//    ("1,500" is 1500 in English, 1.5 in French — as each language reads it);
//  - a space, no-break space or narrow no-break space between groups of three digits groups thousands, in both
//    languages ("1 500", "1 500,5");
//  - a minus sign ("-" or "−") counts only where it starts the number ("17-3" is 17 and 3, "= -4" is -4);
//  - a digit run glued to a letter before it is not a number ("CO2", "H2O").
// Fractions, percentages and scientific notation are read as their plain numbers ("25 %" is 25).

const GROUP_SPACE = '[ \\u00a0\\u202f]';

function numberPattern(lang: string): RegExp {
  const grouped = [`\\d{1,3}(?:${GROUP_SPACE}\\d{3})+(?!\\d)`];
  if (!isFrench(lang)) grouped.push('\\d{1,3}(?:,\\d{3})+(?![\\d])');
  return new RegExp(`(?<![\\p{L}\\p{N}.,])([-\\u2212]?)(${grouped.join('|')}|\\d+)(?:([.,])(\\d+))?`, 'gu');
}

const isFrench = (lang: string) => lang.toLowerCase().startsWith('fr');

export interface ReadNumber {
  value: number;
  /** The text as written. */
  text: string;
  /** Where it starts in the input. */
  index: number;
}

/** Every number in `text`, in order, read by the rules above for the prompt's language. */
export function readNumbers(text: string, lang: string): ReadNumber[] {
  const out: ReadNumber[] = [];
  for (const m of text.matchAll(numberPattern(lang))) {
    const [whole, sign, integer, , fraction] = m;
    const digits = integer.replace(/[ \u00a0\u202f,]/g, '');
    const value = Number(`${digits}${fraction !== undefined ? `.${fraction}` : ''}`) * (sign ? -1 : 1);
    if (Number.isFinite(value)) out.push({ value, text: whole, index: m.index });
  }
  return out;
}
