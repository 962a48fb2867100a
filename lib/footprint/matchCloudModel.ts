// Finds the catalogue entry for a local model from its GGUF name or file name.
import { cloudModels, type CloudModel } from './footprintData';

/**
 * Splits a model name into lower-case tokens: separators are anything but letters, digits and dots, and a
 * letter followed by a digit ("llama3.1" → "llama", "3.1"), while "8b" and "0.5b" stay whole.
 */
export function modelNameTokens(name: string): string[] {
  const stem = name.replace(/\.gguf$/i, '').toLowerCase();
  return stem
    .replace(/([a-z])(\d)/g, '$1 $2')
    .split(/[^a-z0-9.]+/)
    .map((t) => t.replace(/^\.+|\.+$/g, ''))
    .filter((t) => t.length > 0);
}

function containsSequence(tokens: string[], pattern: string[]): boolean {
  outer: for (let i = 0; i + pattern.length <= tokens.length; i++) {
    for (let j = 0; j < pattern.length; j++) {
      if (tokens[i + j] !== pattern[j]) continue outer;
    }
    return true;
  }
  return false;
}

/** The open model whose pattern appears in the name (the longest pattern wins), or null. */
export function matchCloudModel(names: (string | null)[], catalogue: CloudModel[] = cloudModels.models): CloudModel | null {
  for (const name of names) {
    if (!name) continue;
    const tokens = modelNameTokens(name);
    let best: { model: CloudModel; length: number } | null = null;
    for (const model of catalogue) {
      if (!model.open) continue;
      for (const pattern of model.match) {
        if (containsSequence(tokens, pattern) && (!best || pattern.length > best.length)) best = { model, length: pattern.length };
      }
    }
    if (best) return best.model;
  }
  return null;
}
