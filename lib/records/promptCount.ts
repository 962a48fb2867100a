// How many prompts a run's suite has, from whatever the run recorded: needed for "progress: 12 of 40 answers".

/**
 * Looks in the run's settings for `promptCount`, `prompts` (array or number) or `promptIds`, then in its
 * summary's `prompts`; null when nothing says.
 */
export function promptCountOf(settings: unknown, summary: unknown): number | null {
  for (const source of [settings, isRecord(settings) ? settings.suite : undefined, summary]) {
    if (!isRecord(source)) continue;
    for (const key of ['promptCount', 'prompts', 'promptIds']) {
      const v = source[key];
      if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
      if (Array.isArray(v) && v.length > 0) return v.length;
    }
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
