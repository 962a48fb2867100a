// Turns a suite prompt into the exact tokens fed to the model: through the chat template when the
// model has one, as raw completion otherwise, or as llama-bench-style synthetic tokens.
import { resolveChatWrapper, type ChatHistoryItem, type LlamaModel, type Token } from 'node-llama-cpp';
import type { SuitePrompt } from '../suites/suiteSchema';
import { mulberry32 } from '../stats/mulberry32';

export type PromptFormat = 'chat' | 'completion';

export interface PromptPlan {
  format: PromptFormat;
  /** Name of the chat wrapper used, or null in completion mode. */
  chatWrapper: string | null;
}

export type PromptFormatChoice = 'auto' | PromptFormat;

/**
 * "auto": chat when the GGUF carries a chat template (an instruct model answers as users use it),
 * completion otherwise. "chat" on a model without a template uses node-llama-cpp's fallback wrapper.
 */
export function planPromptFormat(model: LlamaModel, choice: PromptFormatChoice = 'auto'): PromptPlan {
  const hasTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string';
  if (choice === 'completion' || (choice === 'auto' && !hasTemplate)) return { format: 'completion', chatWrapper: null };
  return { format: 'chat', chatWrapper: resolveChatWrapper(model).wrapperName };
}

export function buildPromptTokens(model: LlamaModel, prompt: SuitePrompt, plan: PromptPlan, seed: number): Token[] {
  if (prompt.kind === 'synthetic') return syntheticTokens(model, prompt.promptTokens, seed);
  if (plan.format === 'chat') {
    const wrapper = resolveChatWrapper(model);
    const history: ChatHistoryItem[] = [];
    if (prompt.system) history.push({ type: 'system', text: prompt.system });
    history.push({ type: 'user', text: prompt.text }, { type: 'model', response: [] });
    const { contextText } = wrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(model.tokenizer);
  }
  const tokens = model.tokenize(prompt.text, false);
  const bos = model.tokens.bos;
  return model.tokens.shouldPrependBosToken && bos !== null ? [bos, ...tokens] : tokens;
}

/** BOS then pseudo-random ordinary tokens, seeded: the same prompt for every run with the same seed. */
function syntheticTokens(model: LlamaModel, count: number, seed: number): Token[] {
  const vocab = model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
  const random = mulberry32(seed);
  const out: Token[] = [];
  const bos = model.tokens.bos;
  if (bos !== null && model.tokens.shouldPrependBosToken) out.push(bos);
  let guard = 0;
  while (out.length < count && guard++ < count * 100) {
    const token = Math.floor(random() * vocab) as Token;
    if (!model.isSpecialToken(token) && !model.isEogToken(token)) out.push(token);
  }
  return out;
}

