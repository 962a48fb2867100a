// The format of a prompt suite file (bench/suites/*.json or a user's own file), validated on load.
import { z } from 'zod';
import { expectSchema } from '../quality/expectSchema';

const promptText = z.object({
  kind: z.literal('text').default('text'),
  /** What the user asks; sent through the chat template when the model has one, else as raw completion. */
  text: z.string().min(1),
  /** Optional system message (chat models only; ignored in completion mode). */
  system: z.string().min(1).optional(),
});

const promptSynthetic = z.object({
  kind: z.literal('synthetic'),
  /** Exactly this many prompt tokens, drawn pseudo-randomly from the vocabulary (llama-bench's ppN). */
  promptTokens: z.number().int().min(1).max(1_000_000),
});

export const suitePromptSchema = z
  .object({
    /** Stable identifier, unique in the suite: used in results and comparisons. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case letters, digits, ".", "_" or "-"'),
    /** Short human title. */
    title: z.string().min(1),
    /** BCP 47 language of the prompt ("en", "fr"). */
    lang: z.string().min(2).max(10).default('en'),
    /** The task shape, e.g. "qa", "summarise", "code-explain", "long-form", "pp", "tg". */
    task: z.string().min(1).default('generic'),
    /** Output token limit for this prompt; the run's --max-tokens caps it further. */
    maxTokens: z.number().int().min(1).max(100_000),
    /** Keep generating through end-of-generation tokens (llama-bench's tgN measures exactly N tokens). Defaults to false. */
    ignoreEos: z.boolean().default(false),
    /** How the answer is graded (exact, numeric or pattern: lib/quality); absent: not graded. */
    expect: expectSchema.optional(),
  })
  .and(z.union([promptText, promptSynthetic]));

export const suiteSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    description: z.string().min(1),
    version: z.number().int().min(1).default(1),
    /** Sampling temperature; 0 is greedy and so deterministic. Defaults to 0. */
    temperature: z.number().min(0).max(5).default(0),
    /** Seed for sampling and synthetic prompts. Defaults to 42; --seed overrides. */
    seed: z.number().int().min(0).default(42),
    prompts: z.array(suitePromptSchema).min(1),
  })
  .superRefine((suite, ctx) => {
    const seen = new Set<string>();
    for (const [i, p] of suite.prompts.entries()) {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['prompts', i, 'id'], message: `duplicate prompt id "${p.id}"` });
      seen.add(p.id);
    }
  });

export type Suite = z.output<typeof suiteSchema>;
export type SuitePrompt = z.output<typeof suitePromptSchema>;
