// What a graded prompt expects (`expect` in a suite file): a check that needs no judge model.
// How each kind reads the model's output is gradeAnswer's job (lib/quality/gradeAnswer.ts).
import { z } from 'zod';

/** The answer line must equal one of these (or contain one as whole words), after normalisation. */
const exactExpect = z.strictObject({
  type: z.literal('exact'),
  /** One accepted answer, or several ("Paris", "la ville de Paris"). */
  answer: z.union([z.string().min(1), z.array(z.string().min(1)).min(1, '"answer" needs at least one accepted answer')], { error: '"answer" must be a non-empty string or a list of them' }),
  /** Accents count ("é" ≠ "e"); default false: "Équateur" and "equateur" are the same answer. */
  accents: z.boolean().default(false),
});

/** The answer's number must be within `tolerance` of `value` (absolute). */
const numericExpect = z.strictObject({
  type: z.literal('numeric'),
  value: z.number({ error: '"value" must be a number' }).finite(),
  /** Absolute tolerance, ≥ 0; default 0 (exact, up to floating-point rounding). */
  tolerance: z.number().min(0).finite().default(0),
});

/** A JavaScript regular expression that the whole output (trimmed) must match somewhere. */
const patternExpect = z
  .strictObject({
    type: z.literal('pattern'),
    regex: z.string({ error: '"regex" must be a non-empty string' }).min(1),
    /** RegExp flags; default "i" (case-insensitive). */
    flags: z.string().regex(/^[imsu]*$/, 'flags may only be i, m, s, u').default('i'),
  })
  .superRefine((p, ctx) => {
    try {
      new RegExp(p.regex, p.flags);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['regex'], message: `not a valid regular expression (${(err as Error).message})` });
    }
  });

export const expectSchema = z.discriminatedUnion('type', [exactExpect, numericExpect, patternExpect], {
  error: 'expect needs "type": "exact" (with "answer"), "numeric" (with "value") or "pattern" (with "regex")',
});

export type Expect = z.output<typeof expectSchema>;
export type ExpectInput = z.input<typeof expectSchema>;

/** The expected answer as one short line: "Paris", "42 ± 0.5", "/^\d{4}$/i". */
export function describeExpect(e: Expect): string {
  if (e.type === 'exact') return Array.isArray(e.answer) ? e.answer.join(' | ') : e.answer;
  if (e.type === 'numeric') return e.tolerance > 0 ? `${e.value} ± ${e.tolerance}` : String(e.value);
  return `/${e.regex}/${e.flags}`;
}
