// Grading on answers shaped like real models' (chat models ramble, write "1,5" in French, drop accents, reason
// aloud): the behaviour each reading rule promises in lib/quality/gradeAnswer.ts.
import { describe, it, expect } from 'vitest';
import { gradeAnswer, answerSpan } from '../../lib/quality/gradeAnswer';
import { expectSchema, type ExpectInput } from '../../lib/quality/expectSchema';
import { readNumbers } from '../../lib/quality/readNumbers';

const grade = (e: ExpectInput, output: string, lang = 'en') => gradeAnswer(expectSchema.parse(e), output, lang);

describe('readNumbers', () => {
  it('reads French decimal commas and spaced thousands', () => {
    expect(readNumbers('Il faut 1,5 litre, soit 1 500 mL ; 2 000,25 € au total.', 'fr').map((n) => n.value)).toEqual([1.5, 1500, 2000.25]);
    expect(readNumbers('3\u202f200 kg', 'fr').map((n) => n.value)).toEqual([3200]);
  });

  it('reads "1,500" as each language does: thousands in English, one and a half in French', () => {
    expect(readNumbers('1,500', 'en')[0].value).toBe(1500);
    expect(readNumbers('1,500', 'fr')[0].value).toBe(1.5);
    expect(readNumbers('1,500.25 and 86,400', 'en').map((n) => n.value)).toEqual([1500.25, 86400]);
    expect(readNumbers('about 1,5 km', 'en')[0].value).toBe(1.5);
  });

  it('keeps a sentence full stop and a list comma out of the number', () => {
    expect(readNumbers('It is 51.', 'en').map((n) => n.value)).toEqual([51]);
    expect(readNumbers('2, 4, 8, 16, 32', 'en').map((n) => n.value)).toEqual([2, 4, 8, 16, 32]);
  });

  it('reads a leading minus but not a subtraction, and no digits glued to letters', () => {
    expect(readNumbers('It is −4 °C; 17-3 = 14; CO2 and H2O', 'en').map((n) => n.value)).toEqual([-4, 17, 3, 14]);
  });
});

describe('gradeAnswer: numeric', () => {
  it('takes the final number of a worked answer', () => {
    expect(grade({ type: 'numeric', value: 391 }, 'To multiply 17 by 23: 17 × 20 = 340, 17 × 3 = 51, 340 + 51 = 391.')).toEqual({ correct: true, read: '391' });
    expect(grade({ type: 'numeric', value: 391 }, '17 × 23 = 381').correct).toBe(false);
  });

  it('takes the first number after the last answer marker, even when more follow', () => {
    expect(grade({ type: 'numeric', value: 36 }, 'Answer: 36\n\nBecause 10% of 240 is 24 and 5% is 12.')).toEqual({ correct: true, read: '36' });
    expect(grade({ type: 'numeric', value: 4.25 }, 'La réponse est 4,25 (1,5 + 2,75).', 'fr')).toEqual({ correct: true, read: '4,25' });
    expect(grade({ type: 'numeric', value: 1500 }, '**Réponse :** 1 500', 'fr').correct).toBe(true);
  });

  it('reads a French answer with a decimal comma and a unit', () => {
    expect(grade({ type: 'numeric', value: 1.1 }, 'Le croissant coûte 1,10 €.', 'fr').correct).toBe(true);
    expect(grade({ type: 'numeric', value: 3200 }, '3 200 kilogrammes', 'fr').correct).toBe(true);
  });

  it('honours the tolerance, and is wrong without any number', () => {
    expect(grade({ type: 'numeric', value: 3.6, tolerance: 0.05 }, 'About 3.62 kJ.').correct).toBe(true);
    expect(grade({ type: 'numeric', value: 3.6, tolerance: 0.01 }, 'About 3.62 kJ.').correct).toBe(false);
    expect(grade({ type: 'numeric', value: 0.3 }, '0.1 + 0.2 = 0.3').correct).toBe(true);
    expect(grade({ type: 'numeric', value: 936 }, 'Once upon a time there was a dog.')).toEqual({ correct: false, read: null });
  });
});

describe('gradeAnswer: exact', () => {
  it('accepts the answer alone or as whole words of the answer line, ignoring case and punctuation', () => {
    expect(grade({ type: 'exact', answer: 'Canberra' }, 'canberra')).toMatchObject({ correct: true });
    expect(grade({ type: 'exact', answer: 'Canberra' }, 'The capital of Australia is **Canberra**.\nIt is not Sydney, as many think.').correct).toBe(true);
    expect(grade({ type: 'exact', answer: 'Paris' }, 'Parisian cafés are famous.').correct).toBe(false);
  });

  it('reads only the first line without a marker: a later right answer does not count', () => {
    expect(grade({ type: 'exact', answer: 'Canberra' }, 'Sydney\nActually, Canberra.').correct).toBe(false);
    expect(answerSpan('\n\n  Jupiter.  \nMore text').text).toBe('Jupiter.');
  });

  it('reads the line after an answer marker that ends its line', () => {
    expect(grade({ type: 'exact', answer: 'Thursday' }, 'Monday + 10 days = Monday + 3.\nFinal answer:\nThursday')).toMatchObject({ correct: true, read: 'Thursday' });
  });

  it('treats accents as optional unless asked, and spells out ligatures', () => {
    expect(grade({ type: 'exact', answer: 'Équateur' }, 'equateur', 'fr').correct).toBe(true);
    expect(grade({ type: 'exact', answer: 'Équateur', accents: true }, 'equateur', 'fr').correct).toBe(false);
    expect(grade({ type: 'exact', answer: 'Équateur', accents: true }, 'L’Équateur.', 'fr').correct).toBe(true);
    expect(grade({ type: 'exact', answer: 'oeuvre' }, 'Une œuvre', 'fr').correct).toBe(true);
  });

  it('accepts any of several answers, and drops a reasoning block', () => {
    expect(grade({ type: 'exact', answer: ['Loire', 'la Loire'] }, '<think>Le Rhône ? Non, il naît en Suisse.</think>\nLa Loire.', 'fr').correct).toBe(true);
  });
});

describe('gradeAnswer: pattern', () => {
  it('searches the whole output, case-insensitively by default', () => {
    expect(grade({ type: 'pattern', regex: '\\bjane\\.doe@example\\.org\\b' }, 'Sure! The address is Jane.Doe@example.org.')).toEqual({ correct: true, read: 'Jane.Doe@example.org' });
    expect(grade({ type: 'pattern', regex: '(?<!\\d)22\\s*(h|:)\\s*05(?!\\d)' }, 'Le film se termine à 22 h 05.', 'fr').correct).toBe(true);
    expect(grade({ type: 'pattern', regex: '(?<!\\d)22\\s*(h|:)\\s*05(?!\\d)' }, 'Le film se termine à 21 h 65.', 'fr').correct).toBe(false);
  });

  it('honours the flags it is given', () => {
    expect(grade({ type: 'pattern', regex: '^Paris$', flags: 'm' }, 'Answer\nParis').correct).toBe(true);
    expect(grade({ type: 'pattern', regex: '^Paris$', flags: '' }, 'Answer\nParis').correct).toBe(false);
  });
});

describe('expectSchema', () => {
  it('names what is wrong with a bad expect', () => {
    const message = (e: unknown) => expectSchema.safeParse(e).error?.issues[0].message;
    expect(message({ type: 'fuzzy', answer: 'x' })).toMatch(/"exact".*"numeric".*"pattern"/);
    expect(message({ type: 'pattern', regex: '(' })).toMatch(/not a valid regular expression/);
    expect(message({ type: 'numeric', value: '12' })).toMatch(/"value" must be a number/);
    expect(message({ type: 'exact', answer: [] })).toMatch(/"answer"/);
    expect(expectSchema.safeParse({ type: 'numeric', value: 1, tolerence: 0.1 }).success).toBe(false);
  });
});
