// The terminal summary of a run, in the spirit of hyperfine: mean ± σ, min … max, units, n.
import pc from 'picocolors';
import type { RunRecord } from '../../lib/records/getRunRecord';
import type { MetricSummary } from '../../lib/stats/summarize';
import type { RunMetrics } from '../../lib/runner/types';
import { METRIC_COLUMNS } from './metricColumns';
import type { EnergyJson } from '../../lib/energy/energyJson';
import { formatMeanSd, formatRange, formatBytes, formatDurationMs, formatNumber } from './formatNumber';
import { engineLabel, type EngineInfo } from '../../lib/engine/describeEngine';
import type { ThreadChoice } from '../../lib/runner/chooseThreads';

const LABEL_WIDTH = 34;

function line(label: string, value: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${value}`;
}

function metricLines(metrics: RunMetrics): string[] {
  const out: string[] = [];
  for (const col of METRIC_COLUMNS) {
    const s: MetricSummary | null = metrics[col.key];
    if (!s) {
      out.push(line(`${col.label}:`, pc.dim('not measured')));
      continue;
    }
    out.push(line(`${col.label} (mean ± σ):`, `${pc.bold(formatMeanSd(s, col.unit))}    ${pc.dim(`median ${formatNumber(s.median)}`)}`));
    out.push(line('  Range (min … max):', `${formatRange(s, col.unit)}    ${pc.dim(`${s.n} runs`)}`));
  }
  return out;
}

export function formatRunSummary(record: RunRecord, extraEnergyLines: string[] = []): string {
  const out: string[] = [];
  const model = record.model.name && record.model.name !== record.model.file ? `${record.model.file} (${record.model.name})` : record.model.file;
  const total = record.prompts.length;
  const energy = record.energy as EnergyJson | null;
  const energyLabel = energy ? [...new Set(energy.sources.filter((s) => s.countsTowardTotal).map((s) => s.label))].join(' + ') : null;
  record.prompts.forEach((p, i) => {
    out.push(pc.bold(`Benchmark ${i + 1}/${total}: ${model} · ${record.settings.suite} · ${p.promptId}`) + pc.dim(`  ${p.promptTokens} prompt tokens`));
    out.push(...metricLines(p.metrics));
    if (p.outputTokens) out.push(line('Output tokens (mean):', `${formatNumber(p.outputTokens.mean)} tokens`));
    if (p.energyJ && energyLabel) {
      out.push(line('Energy per response (mean ± σ):', `${pc.bold(formatMeanSd(p.energyJ, 'J'))}  [${energyLabel}]`));
      if (p.outputTokens && p.outputTokens.mean > 0) out.push(line('  Per output token (mean):', `${formatNumber(p.energyJ.mean / p.outputTokens.mean)} J/token`));
    }
    out.push('');
  });
  const statusColour = record.status === 'completed' ? pc.green : record.status === 'interrupted' ? pc.yellow : pc.red;
  out.push(
    pc.bold(`Run ${record.id}`) +
      ` ${statusColour(record.status)} · ${total} prompt${total === 1 ? '' : 's'} × ${record.settings.reps} reps (+${record.settings.warmup} warm-up) · ${threadsLabel(record.settings)} · ${record.settings.promptFormat}`,
  );
  out.push(...metricLines(record.summary));
  out.push(line('Tokens:', `${formatNumber(record.totalPromptTokens)} prompt, ${formatNumber(record.totalOutputTokens)} output`));
  if (record.loadMs !== null) out.push(line('Model load:', formatDurationMs(record.loadMs)));
  if (record.peakRssBytes !== null) out.push(line('Peak memory (RSS):', formatBytes(record.peakRssBytes)));
  out.push(...extraEnergyLines);
  out.push(line('Machine:', `${record.hardware.cpu}, ${record.hardware.cores} cores, ${formatBytes(record.hardware.memoryBytes)}`));
  const engine = record.runtime.engine as EngineInfo | undefined;
  const runtime = engine ? engineLabel(engine) : `llama.cpp ${String(record.runtime.llamaCppRelease)}, ${String(record.runtime.backend)}`;
  out.push(line('Runtime:', `node-llama-cpp ${String(record.runtime.nodeLlamaCppVersion)}, ${runtime}`));
  if (engine && engine.missingInstructionSets.length > 0) out.push(line('', pc.yellow(`binary lacks ${engine.missingInstructionSets.join(', ')} (this CPU has them): wattbench setup`)));
  const choice = record.settings.threadChoice as ThreadChoice | undefined;
  if (choice) out.push(line('Threads:', `${choice.prompt} for prompts, ${choice.gen} for generation ${pc.dim(`(${choice.origin === 'flag' ? '--threads' : choice.origin})`)}`));
  if (record.error && record.status !== 'completed') out.push(line('Note:', record.error));
  return out.join('\n');
}

/** "2 threads", or "2/1 threads" (prompt/generation) when the phases use different counts. */
function threadsLabel(settings: RunRecord['settings']): string {
  const prompt = typeof settings.promptThreads === 'number' ? settings.promptThreads : settings.threads;
  const counts = prompt === settings.threads ? String(settings.threads) : `${prompt}/${settings.threads}`;
  return `${counts} thread${counts === '1' ? '' : 's'}`;
}
