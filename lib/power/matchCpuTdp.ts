// Finds a CPU in the bundled TDP table from the model name the OS reports
// ("Intel(R) Core(TM) i7-1165G7 @ 2.80GHz" → Intel Core i7-1165G7). Deterministic: whole-word
// containment of a table key in the normalised name, the longest key winning, then table order.
import table from './data/cpuTdp.json';

export interface CpuTdpEntry {
  /** Marketing name, "Intel Core i7-1165G7". */
  name: string;
  /** Lower-case words matched against the normalised model name, "i7-1165g7". */
  key: string;
  /** Other SKUs with the same figures ("i5-12400f"). */
  aliases?: string[];
  segment: 'desktop' | 'laptop' | 'server';
  /** Manufacturer TDP (Intel 12th gen and later: Processor Base Power), watts. */
  tdpW: number;
  cores: number;
  /** Hardware threads per package. */
  threads: number;
  /** Where the figure comes from. */
  source: string;
  note?: string;
  /** True when the manufacturer publishes no TDP and the figure is an estimate (Apple). */
  estimated?: boolean;
}

export const CPU_TDP_TABLE: readonly CpuTdpEntry[] = table.cpus as CpuTdpEntry[];

/** Lower case, without (R)/(TM), "CPU", "Processor" and the "@ 2.80GHz" suffix, spaces collapsed. */
export function normalizeCpuModel(model: string): string {
  return model
    .toLowerCase()
    .replace(/\((r|tm|c)\)/g, ' ')
    .replace(/@.*$/, ' ')
    .replace(/\b(cpu|processor)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function containsWords(haystack: string, key: string): boolean {
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(key, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : haystack[at - 1];
    const after = haystack[at + key.length] ?? '';
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
    from = at + 1;
  }
}

/** The table entry for this model name, or null when the CPU is not in the table. */
export function matchCpuTdp(cpuModel: string): CpuTdpEntry | null {
  const name = normalizeCpuModel(cpuModel);
  let best: CpuTdpEntry | null = null;
  let bestLength = 0;
  for (const entry of CPU_TDP_TABLE) {
    for (const key of [entry.key, ...(entry.aliases ?? [])]) {
      if (key.length > bestLength && containsWords(name, key)) {
        best = entry;
        bestLength = key.length;
      }
    }
  }
  return best;
}
