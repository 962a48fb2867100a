// The terminal views of `wattbench probe` (the profile) and `wattbench advise` (the ranked models).
import type { MachineProfileFit } from '../../lib/domain/jsonColumns';
import type { ModelAdvice } from '../../lib/records/machineProfiles';
import { READING_TOKENS_PER_SEC, TTFT_PROMPT_TOKENS, DEFAULT_CONTEXT_TOKENS, type Advice } from '../../lib/advise/advise';
import { formatNumber } from '../../lib/format/numbers';
import { formatBanded, formatBytes, formatWatts, formatPercent } from '../../lib/format/units';
import { describeBasis, describeEnergyList } from '../../lib/format/energyLabel';
import { formatTable, type TableColumn } from './formatTable';
import { escapeTerminal } from './escapeTerminal';

type Watts = MachineProfileFit['decodeWatts'];

/** "12.5 W ± 1.2 W [estimated (model …) · CPU package; estimate]". */
export function wattsLine(w: Watts): string {
  if (!w) return 'not measured';
  return `${formatWatts(w.meanW, 'en')} ± ${formatWatts(w.sdW, 'en')} [${describeEnergyList(w.sources, 'en')}; ${describeBasis(w.basis, 'en')}]`;
}

export function energyLabelOf(a: Advice): string | null {
  return a.energy ? `${describeEnergyList(a.energy.sources, 'en')}; ${describeBasis(a.energy.basis, 'en')}` : null;
}

export function formatProfile(fit: MachineProfileFit, profileId: number): string {
  const lines = [
    `Machine profile ${profileId} (from ${fit.points.length} runs${fit.threads !== undefined ? ` at ${fit.threads} threads` : ''}: ${fit.points.filter((p) => p.origin === 'probe').length} probe, ${fit.points.filter((p) => p.origin === 'run').length} other)`,
    `  Memory bandwidth (effective, generation: weights read per token): ${formatNumber(fit.generation.bandwidthBytesPerSec / 1e9, 'en')} GB/s, overhead ${formatNumber(fit.generation.interceptS * 1000, 'en')} ms/token, residuals ${formatPercent(fit.generation.residualRel * 100, 'en', 1)}`,
    `  Prompt throughput (effective, 2 FLOPs per weight of the per-token matrix products): ${formatNumber(fit.prompt.flopsPerSec / 1e9, 'en')} GFLOP/s, overhead ${formatNumber(fit.prompt.interceptS * 1000, 'en')} ms/token, residuals ${formatPercent(fit.prompt.residualRel * 100, 'en', 1)}`,
    `  Power while processing prompts: ${wattsLine(fit.prefillWatts)}`,
    `  Power while generating: ${wattsLine(fit.decodeWatts)}`,
  ];
  const h = fit.heldOut;
  if (h) {
    lines.push(
      `  Held out: ${escapeTerminal(h.modelLabel)} (${formatBytes(h.modelBytes, 'en')}, run ${h.runId})`,
      `    generation: predicted ${formatNumber(h.predictedGenTokensPerSec, 'en')} tok/s, measured ${formatNumber(h.measuredGenTokensPerSec, 'en')} tok/s, error ${formatPercent(h.genError * 100, 'en', 1)}`,
      `    prompt: predicted ${formatNumber(h.predictedPromptTokensPerSec, 'en')} tok/s, measured ${formatNumber(h.measuredPromptTokensPerSec, 'en')} tok/s, error ${formatPercent(h.promptError * 100, 'en', 1)}`,
    );
  } else {
    lines.push('  Held out: none (fewer than three sizes)');
  }
  return lines.join('\n');
}

const COLUMNS: TableColumn<Advice & { rank: number }>[] = [
  { header: '#', value: (a) => String(a.rank), align: 'right' },
  { header: 'MODEL', value: (a) => a.candidate.name },
  { header: 'QUANT', value: (a) => a.candidate.quant ?? '—' },
  { header: 'FILE', value: (a) => formatBytes(a.candidate.sizeBytes, 'en'), align: 'right' },
  { header: 'NEEDS', value: (a) => formatBytes(a.needBytes, 'en'), align: 'right' },
  { header: 'FITS', value: (a) => (a.fits ? (a.fitsRam ? 'RAM' : 'VRAM') : 'no') },
  { header: 'GENERATION', value: (a) => formatBanded(a.genTokensPerSec, 'tokPerSec', 'en'), align: 'right' },
  { header: `TTFT (${formatNumber(TTFT_PROMPT_TOKENS, 'en')}-token prompt)`, value: (a) => formatBanded({ value: a.ttftMs.value / 1000, low: a.ttftMs.low / 1000, high: a.ttftMs.high / 1000 }, 's', 'en'), align: 'right' },
  { header: 'ENERGY / 1,000 tokens', value: (a) => formatBanded(a.joulesPer1000Tokens, 'joules', 'en'), align: 'right' },
];

export function formatAdvice(advice: ModelAdvice): string {
  const { profile, ranked, pick, goal, budget } = advice;
  const rows = ranked.map((a, i) => ({ ...a, rank: i + 1 }));
  const energy = ranked.find((a) => a.energy) ?? null;
  const h = profile.fit.heldOut;
  const lines = [
    `Which model for ${escapeTerminal(profile.machineLabel)} (profile ${profile.id}, ${new Date(profile.createdAt).toISOString().slice(0, 16).replace('T', ' ')}), goal: ${goal}`,
    `Memory for a model: ${formatBytes(budget.ramBytes, 'en')} RAM${budget.vramBytes !== null ? `, ${formatBytes(budget.vramBytes, 'en')} VRAM` : ''}; needs = weights + KV cache at ${DEFAULT_CONTEXT_TOKENS} tokens + runtime`,
    '',
    formatTable(rows, COLUMNS),
    '',
    `Predicted (not measured), bands from the held-out error${h ? ` (generation ${formatPercent(h.genError * 100, 'en', 1)}, prompt ${formatPercent(h.promptError * 100, 'en', 1)})` : ''} and the fit's residuals, wider beyond the largest size probed.`,
    `Energy: ${energy ? energyLabelOf(energy) : 'not measured'} (generation power × predicted time).`,
    pick
      ? `Pick: ${escapeTerminal(pick.candidate.name)} ${escapeTerminal(pick.candidate.quant ?? '')} — ${formatBanded(pick.genTokensPerSec, 'tokPerSec', 'en')}`
      : goal === 'largest'
        ? `Pick: none fits and reaches ${READING_TOKENS_PER_SEC} tok/s on this machine.`
        : 'Pick: none fits on this machine.',
  ];
  return lines.join('\n');
}
