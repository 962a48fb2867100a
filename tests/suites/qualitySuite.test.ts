// The bundled graded suite: valid, big enough, in both languages, every item graded — and every check reachable:
// the right answer written as a model would write it is graded right, a wrong one wrong.
import { describe, it, expect } from 'vitest';
import { loadSuite } from '../../lib/suites/loadSuite';
import { gradeAnswer } from '../../lib/quality/gradeAnswer';
import type { Expect } from '../../lib/quality/expectSchema';
import { formatNumber } from '../../lib/format/numbers';

const { suite } = loadSuite('quality');

/** Right answers to the pattern items, as a model might write them. */
const PATTERN_ANSWERS: Record<string, string> = {
  'en-extract-email': 'The email address is jane.doe@example.org.',
  'en-extract-date': 'April 14, 2025',
  'fr-code-postal': 'Le code postal est 69003.',
  'fr-courriel': 'contact@bibliotheque-exemple.fr',
  'fr-horaire': 'Le film se termine à 22 h 05.',
};

/** The expected answer as a sentence a model might write, in the prompt's language. */
function writtenAnswer(e: Expect, lang: string): string | null {
  if (e.type === 'exact') return lang === 'fr' ? `Réponse : ${[e.answer].flat()[0]}.` : `The answer is ${[e.answer].flat()[0]}.`;
  if (e.type === 'numeric') return lang === 'fr' ? `C’est ${formatNumber(e.value, 'fr', { decimals: 2, trim: true })}.` : `It is ${formatNumber(e.value, 'en', { decimals: 2, trim: true })}.`;
  return null;
}


describe('the quality suite', () => {
  it('validates, has at least 60 items, about half in English and half in French', () => {
    expect(suite.name).toBe('quality');
    expect(suite.prompts.length).toBeGreaterThanOrEqual(60);
    const en = suite.prompts.filter((p) => p.lang === 'en').length;
    const fr = suite.prompts.filter((p) => p.lang === 'fr').length;
    expect(en + fr).toBe(suite.prompts.length);
    expect(Math.abs(en - fr)).toBeLessThanOrEqual(suite.prompts.length * 0.1);
  });

  it('grades every item, with short answers, across the five task kinds and the three check types', () => {
    for (const p of suite.prompts) {
      expect(p.expect, p.id).toBeDefined();
      expect(p.maxTokens, p.id).toBeLessThanOrEqual(32);
    }
    expect(new Set(suite.prompts.map((p) => p.task))).toEqual(new Set(['arithmetic', 'conversion', 'fact', 'extraction', 'reasoning']));
    expect(new Set(suite.prompts.map((p) => p.expect!.type))).toEqual(new Set(['exact', 'numeric', 'pattern']));
  });

  it('grades the expected answer, written out in the prompt’s language, as right, and a wrong one as wrong', () => {
    for (const p of suite.prompts) {
      const e = p.expect!;
      const right = writtenAnswer(e, p.lang) ?? PATTERN_ANSWERS[p.id];
      expect(right, `${p.id} needs a right answer in PATTERN_ANSWERS`).toBeDefined();
      expect(gradeAnswer(e, right, p.lang).correct, `${p.id}: ${right}`).toBe(true);
      const wrong = e.type === 'numeric' ? `It is ${e.value + 7}.` : 'I do not know.';
      expect(gradeAnswer(e, wrong, p.lang).correct, `${p.id}: ${wrong}`).toBe(false);
    }
  });
});
