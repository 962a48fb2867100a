// Tokenises every prompt before the run starts, so a prompt that cannot fit is rejected up front.
import type { LlamaModel, Token } from 'node-llama-cpp';
import type { Suite, SuitePrompt } from '../suites/suiteSchema';
import { buildPromptTokens, type PromptPlan } from './buildPromptTokens';
import { InputError } from '../errors/WattbenchError';

export interface PreparedPrompt {
  prompt: SuitePrompt;
  index: number;
  tokens: Token[];
  /** The suite's limit for this prompt, capped by --max-tokens. */
  maxTokens: number;
}

export function preparePrompts(model: LlamaModel, suite: Suite, plan: PromptPlan, opts: { seed: number; contextSize: number; maxTokens?: number }): PreparedPrompt[] {
  return suite.prompts.map((prompt, index) => {
    const tokens = buildPromptTokens(model, prompt, plan, opts.seed + index);
    if (tokens.length >= opts.contextSize) {
      throw new InputError(
        `prompt "${prompt.id}" has ${tokens.length} tokens and does not fit in a context of ${opts.contextSize}; pass --context ${nextPowerOfTwo(tokens.length + prompt.maxTokens)} or more`,
      );
    }
    const maxTokens = opts.maxTokens !== undefined ? Math.min(prompt.maxTokens, opts.maxTokens) : prompt.maxTokens;
    return { prompt, index, tokens, maxTokens };
  });
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}
