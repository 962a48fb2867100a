// The suite's prompts as requests to a server: text prompts only (the server applies its own chat template in
// chat mode); synthetic prompts (pp/tg) are token ids of a vocabulary the client does not have.
import { InputError } from '../errors/WattbenchError';
import type { LoadedSuite } from '../suites/loadSuite';
import type { SuitePrompt } from '../suites/suiteSchema';
import type { MeasurablePrompt } from '../runner/measureSuite';

export interface ServerPrompt extends MeasurablePrompt {
  prompt: SuitePrompt;
  text: string;
  system?: string;
}

export function prepareServerPrompts(suite: LoadedSuite, maxTokensCap: number | undefined): ServerPrompt[] {
  return suite.suite.prompts.map((prompt, index) => {
    if (prompt.kind !== 'text') {
      throw new InputError(`suite ${suite.suite.name}: prompt "${prompt.id}" is synthetic (token ids), which a server run cannot send; use a suite of text prompts (smoke, standard) with --endpoint`);
    }
    const maxTokens = maxTokensCap !== undefined ? Math.min(prompt.maxTokens, maxTokensCap) : prompt.maxTokens;
    return { prompt, index, maxTokens, text: prompt.text, ...(prompt.system ? { system: prompt.system } : {}) };
  });
}
