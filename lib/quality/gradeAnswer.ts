// Grades a model's answer against a prompt's `expect`, without a judge model. Pure: the same output always
// gets the same grade, so the run page can show what was read from a stored output.
//
// How the output is read (models ramble, so each check reads one part of it):
//  1. Reasoning blocks (<think>…</think>) are dropped, and markdown emphasis and code marks (*, _, `) removed.
//  2. The answer span: after the LAST answer marker when there is one ("Answer:", "the answer is", "Final
//     answer:", "Réponse :", "la réponse est", "Result:", "Résultat :"), the rest of that line (or the next
//     non-empty line when the marker ends its line); otherwise the FIRST non-empty line.
//  3. exact: the answer span, normalised (lower case, accents dropped unless `accents`, œ → oe, punctuation →
//     space, whitespace collapsed), must equal an accepted answer, normalised the same way, or contain it as
//     whole words ("The capital of France is Paris." is right for "Paris"; "Parisian" is not).
//  4. numeric: after an answer marker, the FIRST number after it; otherwise the FINAL number of the whole output
//     (a worked answer ends with its result: "17 × 3 = 51"). Numbers are read by readNumbers (en/fr rules).
//     Correct when |read − value| ≤ tolerance (plus floating-point rounding).
//  5. pattern: the regex is tested against the whole output (step 1 applied, trimmed).
import type { Expect } from './expectSchema';
import { readNumbers } from './readNumbers';

export interface Grade {
  correct: boolean;
  /** What was read from the output: the answer span, the number, or the matched text; null when nothing was. */
  read: string | null;
}

const MARKER = /(?:final\s+answer|answer|r[ée]ponse(?:\s+finale)?|r[ée]sultat|result)(?:\s+(?:is|est))?\s*[:=]|(?:final\s+answer|answer|r[ée]ponse(?:\s+finale)?|r[ée]sultat|result)\s+(?:is|est)\b/giu;

/** Step 1: the text a check reads. */
export function cleanOutput(output: string): string {
  return output
    .replace(/<think>[\s\S]*?(<\/think>|$)/gi, '')
    .replace(/[*_`]+/g, '')
    .trim();
}

/** Step 2: the answer span, and whether an answer marker introduced it. */
export function answerSpan(output: string): { text: string; marked: boolean } {
  const text = cleanOutput(output);
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(MARKER)) last = m as RegExpExecArray;
  if (last) {
    const after = text.slice(last.index + last[0].length);
    const lines = after.split(/\r?\n/);
    const first = lines[0].trim();
    const span = /[\p{L}\p{N}]/u.test(first) ? first : (lines.slice(1).find((l) => l.trim() !== '') ?? '').trim();
    return { text: span, marked: true };
  }
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return { text: firstLine.trim(), marked: false };
}

/** Lower case, accents dropped unless kept, ligatures spelled out, punctuation to spaces, spaces collapsed. */
export function normaliseAnswer(s: string, keepAccents = false): string {
  let t = s.normalize('NFKD').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss');
  if (!keepAccents) t = t.replace(/\p{M}/gu, '');
  t = t.normalize('NFC');
  return t.replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ').trim();
}

export function gradeAnswer(expect: Expect, output: string, lang: string): Grade {
  if (expect.type === 'pattern') {
    const m = new RegExp(expect.regex, expect.flags).exec(cleanOutput(output));
    return { correct: m !== null, read: m ? m[0] : null };
  }
  const span = answerSpan(output);
  if (expect.type === 'exact') {
    const line = normaliseAnswer(span.text, expect.accents);
    const accepted = (Array.isArray(expect.answer) ? expect.answer : [expect.answer]).map((a) => normaliseAnswer(a, expect.accents)).filter((a) => a !== '');
    const correct = line !== '' && accepted.some((a) => line === a || ` ${line} `.includes(` ${a} `));
    return { correct, read: span.text || null };
  }
  const numbers = span.marked ? readNumbers(span.text, lang).slice(0, 1) : readNumbers(cleanOutput(output), lang).slice(-1);
  if (numbers.length === 0) return { correct: false, read: null };
  const got = numbers[0].value;
  const slack = expect.tolerance + 1e-9 * Math.max(1, Math.abs(expect.value));
  return { correct: Math.abs(got - expect.value) <= slack, read: numbers[0].text };
}
