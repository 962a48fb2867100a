// Matching GGUF names and file names to the catalogue of open models.
import { describe, expect, it } from 'vitest';
import { matchCloudModel, modelNameTokens } from '../../lib/footprint/matchCloudModel';

describe('modelNameTokens', () => {
  it('splits on separators and between a word and a version, keeping sizes whole', () => {
    expect(modelNameTokens('Qwen2.5-7B-Instruct-Q4_K_M.gguf')).toEqual(['qwen', '2.5', '7b', 'instruct', 'q', '4', 'k', 'm']);
    expect(modelNameTokens('Meta-Llama-3.1-8B-Instruct')).toEqual(['meta', 'llama', '3.1', '8b', 'instruct']);
    expect(modelNameTokens('Qwen3-30B-A3B')).toEqual(['qwen', '3', '30b', 'a', '3b']);
  });
});

describe('matchCloudModel', () => {
  const id = (names: (string | null)[]) => matchCloudModel(names)?.id ?? null;

  it('matches GGUF names and file names of the usual families', () => {
    expect(id(['Llama 3.2 1B Instruct'])).toBe('llama-3.2-1b');
    expect(id([null, 'Llama-3.2-3B-Instruct-Q4_K_M.gguf'])).toBe('llama-3.2-3b');
    expect(id(['Meta Llama 3.1 8B Instruct'])).toBe('llama-3.1-8b');
    expect(id([null, 'Meta-Llama-3-8B-Instruct.Q8_0.gguf'])).toBe('llama-3-8b');
    expect(id([null, 'Llama-3.3-70B-Instruct-Q4_K_M.gguf'])).toBe('llama-3.3-70b');
    expect(id([null, 'qwen2.5-0.5b-instruct-q8_0.gguf'])).toBe('qwen2.5-0.5b');
    expect(id(['Qwen2.5 72B Instruct'])).toBe('qwen2.5-72b');
    expect(id([null, 'Qwen3-8B-Q4_K_M.gguf'])).toBe('qwen3-8b');
    expect(id([null, 'Qwen3-30B-A3B-Q4_K_M.gguf'])).toBe('qwen3-30b-a3b');
    expect(id([null, 'mistral-7b-instruct-v0.2.Q4_K_M.gguf'])).toBe('mistral-7b');
    expect(id([null, 'mixtral-8x7b-instruct-v0.1.Q4_K_M.gguf'])).toBe('mixtral-8x7b');
    expect(id([null, 'gemma-2-9b-it-Q4_K_M.gguf'])).toBe('gemma-2-9b');
    expect(id([null, 'gemma-3-12b-it-Q4_K_M.gguf'])).toBe('gemma-3-12b');
  });

  it('does not confuse neighbouring sizes', () => {
    expect(id([null, 'Qwen2.5-32B-Instruct.gguf'])).toBe('qwen2.5-32b');
    expect(id([null, 'Qwen2.5-3B-Instruct.gguf'])).toBe('qwen2.5-3b');
    expect(id([null, 'gemma-2-27b-it.gguf'])).toBe('gemma-2-27b');
  });

  it('returns null for models outside the catalogue, and never a closed model', () => {
    expect(id(['stories260K', 'stories260K.gguf'])).toBeNull();
    expect(id([null, 'llama-2-tiny-random.gguf'])).toBeNull();
    expect(id(['gpt-4o'])).toBeNull();
  });

  it('prefers the GGUF name to the file name', () => {
    expect(id(['Qwen2.5 7B Instruct', 'my-renamed-llama-3.1-8b.gguf'])).toBe('qwen2.5-7b');
  });
});
