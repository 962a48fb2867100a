// A run's graded answers as the record shows them: accuracy, joules per correct answer (summarizeQuality) and,
// per graded prompt, what was expected, what was read from the answer, and how many repetitions were right.
import type { ResultRow } from '../db/schema';
import type { RunSettings } from '../domain/jsonColumns';
import { describeExpect } from '../quality/expectSchema';
import { gradeAnswer } from '../quality/gradeAnswer';
import { summarizeQuality, type QualitySummary } from '../quality/summarizeQuality';

export interface PromptGrade {
  promptId: string;
  promptIndex: number;
  /** The check as one line: "Paris", "3.6 ± 0.05", "/…/i"; null when the run's settings did not record it. */
  expected: string | null;
  /** What the grader read from the first repetition's answer (its answer span, number or match); null: nothing. */
  got: string | null;
  /** The first repetition's whole answer. */
  output: string;
  correct: number;
  graded: number;
}

export interface RunQuality extends QualitySummary {
  prompts: PromptGrade[];
}

type GradedResult = Pick<ResultRow, 'promptId' | 'promptIndex' | 'output' | 'correct' | 'energyJ'>;

export function runQuality(rows: readonly GradedResult[], settings: RunSettings): RunQuality | null {
  const summary = summarizeQuality(rows);
  if (!summary) return null;
  const recorded = new Map(Array.isArray(settings.prompts) ? settings.prompts.map((p) => [p.id, p]) : []);
  const byPrompt = new Map<number, GradedResult[]>();
  for (const r of rows) if (r.correct !== null) byPrompt.set(r.promptIndex, [...(byPrompt.get(r.promptIndex) ?? []), r]);
  const prompts = [...byPrompt.entries()]
    .sort(([a], [b]) => a - b)
    .map(([promptIndex, list]): PromptGrade => {
      const first = list[0];
      const p = recorded.get(first.promptId);
      return {
        promptId: first.promptId,
        promptIndex,
        expected: p?.expect ? describeExpect(p.expect) : null,
        got: p?.expect ? gradeAnswer(p.expect, first.output, p.lang ?? 'en').read : null,
        output: first.output,
        correct: list.filter((r) => r.correct === true).length,
        graded: list.length,
      };
    });
  return { ...summary, prompts };
}
