// Tokenises every prompt before the run starts, chooses the context size, and rejects a prompt that
// cannot fit up front (before anything is written).
import type { LlamaModel, Token } from 'node-llama-cpp';
import type { Suite, SuitePrompt } from '../suites/suiteSchema';
import { buildPromptTokens, type PromptPlan } from './buildPromptTokens';
import { InputError } from '../errors/WattbenchError';
import { MIN_AUTO_CONTEXT } from './runDefaults';

export interface PreparedPrompt {
  prompt: SuitePrompt;
  index: number;
  tokens: Token[];
  /** The suite's limit for this prompt, capped by --max-tokens. */
  maxTokens: number;
}

/** A prompt longer than the context: the suite does not suit this model or this --context. */
export class PromptTooLongError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'PromptTooLongError';
  }
}

export function preparePrompts(model: LlamaModel, suite: Suite, plan: PromptPlan, opts: { seed: number; maxTokens?: number }): PreparedPrompt[] {
  return suite.prompts.map((prompt, index) => {
    const tokens = buildPromptTokens(model, prompt, plan, opts.seed + index);
    const maxTokens = opts.maxTokens !== undefined ? Math.min(prompt.maxTokens, opts.maxTokens) : prompt.maxTokens;
    return { prompt, index, tokens, maxTokens };
  });
}


/**
 * The context size: the one asked for, or ("auto") the smallest power of two, at least 2,048, that holds the
 * longest prompt with its answer, but never more than the model was trained for. Throws PromptTooLongError
 * when a prompt does not fit at all.
 */
export function resolveContextSize(prepared: readonly PreparedPrompt[], requested: number | 'auto', trainContext: number | null): number {
  const need = Math.max(...prepared.map((p) => p.tokens.length + p.maxTokens));
  const size = requested !== 'auto' ? requested : Math.min(trainContext ?? Number.MAX_SAFE_INTEGER, Math.max(MIN_AUTO_CONTEXT, nextPowerOfTwo(need)));
  for (const p of prepared) {
    if (p.tokens.length < size) continue;
    const fix =
      requested === 'auto'
        ? `this model was trained for ${trainContext} tokens: use a suite with shorter prompts (e.g. --suite smoke) or a model with a longer context`
        : `pass --context ${nextPowerOfTwo(p.tokens.length + p.maxTokens)} or more`;
    throw new PromptTooLongError(`prompt "${p.prompt.id}" has ${p.tokens.length} tokens and does not fit in a context of ${size}; ${fix}`);
  }
  return size;
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}
