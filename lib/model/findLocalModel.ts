// The model the demo uses when none is named: the first .gguf in the models folder, smallest first.
import fs from 'node:fs';
import path from 'node:path';

export function findLocalModel(directory: string): string | null {
  let entries: string[];
  try {
    entries = fs.readdirSync(directory);
  } catch {
    return null;
  }
  const ggufs = entries
    .filter((f) => f.toLowerCase().endsWith('.gguf') && !f.includes('.partial'))
    .map((f) => path.join(directory, f))
    .filter((f) => fs.statSync(f).isFile())
    .sort((a, b) => fs.statSync(a).size - fs.statSync(b).size || a.localeCompare(b));
  return ggufs[0] ?? null;
}

/**
 * The model the demo downloads when it finds none: Qwen2.5 0.5B Instruct, Q4_K_M (~400 MB, Apache-2.0).
 * Small enough for any laptop, an instruct model with a chat template, and fluent in English and French.
 */
export const RECOMMENDED_DEMO_MODEL = 'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M';
export const RECOMMENDED_DEMO_MODEL_PAGE = 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF';
