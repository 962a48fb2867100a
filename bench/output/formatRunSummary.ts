// The terminal summary of a run, in the spirit of hyperfine: mean ± σ, min … max, units, n.
import pc from 'picocolors';
import type { RunRecord } from '../../lib/records/getRunRecord';
import type { MetricSummary } from '../../lib/stats/summarize';
import type { RunMetrics } from '../../lib/runner/types';
import { METRIC_COLUMNS } from './metricColumns';
import { escapeTerminal } from './escapeTerminal';
import { formatCount, formatDuration, formatNumber, formatWithSd, precisionFor } from '../../lib/format/numbers';
import { formatBytes } from '../../lib/format/units';
import { describeEnergyList } from '../../lib/format/energyLabel';
import { engineLabel } from '../../lib/engine/describeEngine';
import { formatAccuracy, formatJPerCorrect } from '../../lib/format/quality';
import { serverFigures } from '../../lib/endpoint/serverFigures';

const LABEL_WIDTH = 34;

/** The pages put a no-break space between a number and its unit; the terminal prints plain text. */
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

/** "1,482 ± 31 tok/s": one precision, chosen from the mean, for both numbers. */
function meanSd(s: MetricSummary, unit: string): string {
  const [mean, sd] = formatWithSd(s.mean, s.sd, 'en');
  return `${mean} ± ${sd} ${unit}`;
}

/** "1,410 … 1,530 tok/s", at the mean's precision so that the range reads against it. */
function minMax(s: MetricSummary, unit: string): string {
  const precision = precisionFor(s.mean);
  return `${formatNumber(s.min, 'en', precision)} … ${formatNumber(s.max, 'en', precision)} ${unit}`;
}

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
    out.push(line(`${col.label} (mean ± σ):`, `${pc.bold(meanSd(s, col.unit))}    ${pc.dim(`median ${formatNumber(s.median, 'en')}`)}`));
    out.push(line('  Range (min … max):', `${minMax(s, col.unit)}    ${pc.dim(`${s.n} runs`)}`));
  }
  return out;
}

export function formatRunSummary(record: RunRecord, extraEnergyLines: string[] = []): string {
  const out: string[] = [];
  // The model's name comes from its GGUF metadata, the suite and prompt ids from a suite file: escaped.
  const named = record.model.name && record.model.name !== record.model.file ? `${record.model.file} (${record.model.name})` : record.model.file;
  const model = escapeTerminal(named);
  const suite = escapeTerminal(record.settings.suite);
  const total = record.prompts.length;
  const energy = record.energy;
  // The stored rows name an estimate's model (energy.estimate_model), also for runs older than the JSON's field.
  const energyLabel = energy ? describeEnergyList(record.energyRows.filter((r) => r.countsTowardTotal), 'en') : null;
  record.prompts.forEach((p, i) => {
    out.push(pc.bold(`Benchmark ${i + 1}/${total}: ${model} · ${suite} · ${escapeTerminal(p.promptId)}`) + pc.dim(`  ${p.promptTokens} prompt tokens`));
    out.push(...metricLines(p.metrics));
    if (p.outputTokens) out.push(line('Output tokens (mean):', `${formatNumber(p.outputTokens.mean, 'en')} tokens`));
    if (p.energyJ && energyLabel) {
      out.push(line('Energy per response (mean ± σ):', `${pc.bold(meanSd(p.energyJ, 'J'))}  [${energyLabel}]`));
      if (p.outputTokens && p.outputTokens.mean > 0) out.push(line('  Per output token (mean):', `${formatNumber(p.energyJ.mean / p.outputTokens.mean, 'en')} J/token`));
    }
    const grade = record.quality?.prompts.find((g) => g.promptIndex === p.promptIndex);
    if (grade) {
      const mark = grade.correct === grade.graded ? pc.green('✓') : grade.correct === 0 ? pc.red('✗') : pc.yellow('~');
      const got = grade.got === null ? pc.dim('nothing read') : escapeTerminal(grade.got);
      out.push(line('Graded:', `${mark} ${grade.correct}/${grade.graded} right · expected ${escapeTerminal(grade.expected ?? 'not recorded')} · got ${got}`));
    }
    out.push('');
  });
  const statusColour = record.status === 'completed' ? pc.green : record.status === 'interrupted' ? pc.yellow : pc.red;
  out.push(
    pc.bold(`Run ${record.id}`) +
      ` ${statusColour(record.displayStatus === 'stale' ? 'stale (its process is gone; the next `wattbench run` marks it interrupted)' : record.status)} · ${total} prompt${total === 1 ? '' : 's'} × ${record.settings.reps} reps (+${record.settings.warmup} warm-up) · ${record.server ? 'server run' : threadsLabel(record.settings)} · ${record.settings.promptFormat}`,
  );
  out.push(...metricLines(record.summary));
  out.push(line('Tokens:', `${formatCount(record.totalPromptTokens, 'en')} prompt, ${formatCount(record.totalOutputTokens, 'en')} output`));
  if (record.loadMs !== null) out.push(line('Model load:', formatDuration(record.loadMs, 'en', ' ')));
  if (record.peakRssBytes !== null) out.push(line('Peak memory (RSS):', plain(formatBytes(record.peakRssBytes, 'en'))));
  out.push(...extraEnergyLines);
  out.push(...qualityLines(record, energyLabel));
  out.push(line('Machine:', `${escapeTerminal(record.hardware.cpu)}, ${record.hardware.cores} cores, ${plain(formatBytes(record.hardware.memoryBytes, 'en'))}`));
  if (record.server) {
    out.push(...serverLines(record));
    if (record.error && record.status !== 'completed') out.push(line('Note:', escapeTerminal(record.error)));
    return out.join('\n');
  }
  const engine = record.runtime.engine;
  const runtime = engine ? engineLabel(engine) : `llama.cpp ${String(record.runtime.llamaCppRelease)}, ${String(record.runtime.backend)}`;
  out.push(line('Runtime:', `node-llama-cpp ${String(record.runtime.nodeLlamaCppVersion)}, ${runtime}`));
  if (engine && engine.missingInstructionSets.length > 0) out.push(line('', pc.yellow(`binary lacks ${engine.missingInstructionSets.join(', ')} (this CPU has them): wattbench setup`)));
  const choice = record.settings.threadChoice;
  if (choice) out.push(line('Threads:', `${choice.prompt} for prompts, ${choice.gen} for generation ${pc.dim(`(${choice.origin === 'flag' ? '--threads' : choice.origin})`)}`));
  if (record.error && record.status !== 'completed') out.push(line('Note:', escapeTerminal(record.error)));
  return out.join('\n');
}

/** A server run: what the server is, and its own timings beside the client's. */
function serverLines(record: RunRecord): string[] {
  const server = record.server!;
  const api = server.api === 'ollama' ? "Ollama's native API" : 'OpenAI-compatible API';
  const out = [line('Server:', `${escapeTerminal(server.kind)}${server.version ? ` ${escapeTerminal(server.version)}` : ''} at ${escapeTerminal(server.endpoint)} (${api}, ${server.location === 'local' ? 'this machine' : 'another host'})`)];
  out.push(line('Model (as served):', escapeTerminal(server.model)));
  const sent = server.request;
  out.push(line('Sent:', `temperature ${sent.temperature}, seed ${sent.seed}, max tokens ${sent.maxTokensCap ?? "the suite's"}, streaming`));
  if (server.location === 'local') {
    out.push(line('Server process:', server.pids.length ? `pid ${server.pids.join(', ')} ${pc.dim(`(${server.pidOrigin === 'flag' ? '--server-pid' : 'listening on the port'})`)}` : pc.yellow('not found: only wattbench\'s own CPU time is attributed (pass --server-pid)')));
  }
  const figures = serverFigures(record.results);
  const tag = (s: string) => pc.dim(`[${s}]`);
  if (figures) {
    const source = figures.source === 'ollama' ? "Ollama's eval_count / eval_duration" : "llama-server's timings";
    if (figures.genTokensPerSec) out.push(line('Server-timed generation (mean):', `${formatNumber(figures.genTokensPerSec.mean, 'en')} tok/s  ${tag(source)}`));
    if (figures.promptTokensPerSec) out.push(line('Server-timed prompt (mean):', `${formatNumber(figures.promptTokensPerSec.mean, 'en')} tok/s  ${tag(source)}`));
    if (record.summary.genTokensPerSec) out.push(line('Client-timed generation (mean):', `${formatNumber(record.summary.genTokensPerSec.mean, 'en')} tok/s  ${tag('chunk arrivals, tokens from usage')}`));
  } else {
    out.push(line('Server-timed figures:', pc.dim('none (the server sends no timings)')));
  }
  return out;
}

/** "2 threads", or "2/1 threads" (prompt/generation) when the phases use different counts. */
function threadsLabel(settings: RunRecord['settings']): string {
  const prompt = typeof settings.promptThreads === 'number' ? settings.promptThreads : settings.threads;
  const counts = prompt === settings.threads ? String(settings.threads) : `${prompt}/${settings.threads}`;
  return `${counts} thread${counts === '1' ? '' : 's'}`;
}

/** Accuracy and joules per correct answer, with the energy's label (an estimate says so). */
function qualityLines(record: RunRecord, energyLabel: string | null): string[] {
  const q = record.quality;
  if (!q) return [];
  const perCorrect = formatJPerCorrect(q, 'en');
  const label = q.correct > 0 && q.joulesPerCorrect !== null && energyLabel ? `  [${energyLabel}]` : '';
  return [line('Accuracy:', pc.bold(plain(formatAccuracy(q, 'en')))), line('Energy per correct answer:', `${pc.bold(plain(perCorrect))}${label}`)];
}
