// `wattbench run --endpoint URL --model NAME`: benchmark a running server (Ollama, llama-server, LM Studio,
// vLLM) on a suite, store it like any run, print the summary (or --json). Every check — flags, suite, database,
// the server, its API and the model — comes before the run row: exit 2, one line, nothing written.
import pc from 'picocolors';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { loadSuite } from '../../lib/suites/loadSuite';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { InputError, ExitCode, signalExitCode } from '../../lib/errors/WattbenchError';
import { probeEndpoint, parseEndpoint } from '../../lib/endpoint/probeEndpoint';
import { endpointLocation } from '../../lib/endpoint/endpointLocation';
import { findListeningPids } from '../../lib/endpoint/findListeningPids';
import { prepareServerPrompts } from '../../lib/endpoint/serverPrompts';
import { runServerBenchmark } from '../../lib/endpoint/runServerBenchmark';
import type { ServerApi } from '../../lib/endpoint/types';
import { createRunProgress } from '../output/progress';
import { formatRunSummary } from '../output/formatRunSummary';
import { formatEnergyLines } from '../output/formatEnergyLines';
import { printWarning } from '../output/printError';
import { checkPowerFlags, setupPower } from './runPower';
import type { RunCommandOptions, RunHooks } from './run';
import { interceptRunInterrupts } from './runInterrupts';

export interface ServerRunFlags {
  endpoint: string;
  api?: ServerApi;
  serverPid?: number;
  streamTimeout: number;
}

/** How long the probe waits for each answer, ms. */
const PROBE_TIMEOUT_MS = 5000;

export async function runServerCommand(opts: RunCommandOptions & ServerRunFlags, hooks: Pick<RunHooks, 'afterRuns'> = {}): Promise<number> {
  const model = opts.model ?? process.env.WATTBENCH_MODEL;
  if (!model) throw new InputError('no model given; pass --model with the name the server knows it by (e.g. --model llama3.2:1b for Ollama)');
  // Flags that belong to a local run: the server decides these itself.
  if (model.includes(',')) throw new InputError('--model lists (sweeps) are for .gguf files; a server run benchmarks one model: pass one name');
  for (const [flag, given] of [['--threads', opts.threads], ['--context', opts.context], ['--batch', opts.batch]] as const) {
    if (given !== undefined) throw new InputError(`${flag} does not apply to a server run (the server's own settings decide it); drop ${flag} or benchmark a .gguf file without --endpoint`);
  }
  if (opts.gpuLayers.length !== 1 || opts.gpuLayers[0] !== 'auto') throw new InputError('--gpu-layers does not apply to a server run (the server offloads as it was started); drop --gpu-layers');
  const url = parseEndpoint(opts.endpoint);
  const hardware = await detectHardware();
  checkPowerFlags(opts, hardware);
  const suite = loadSuite(opts.suite);
  const prompts = prepareServerPrompts(suite, opts.maxTokens);
  const format = opts.promptFormat === 'completion' ? 'completion' : 'chat';

  // The server, its API and the model, then where it runs: all before the database is opened.
  const probe = await probeEndpoint(opts.endpoint, { model, api: opts.api, timeoutMs: PROBE_TIMEOUT_MS });
  const location = await endpointLocation(url);
  let pids: number[] = [];
  let pidOrigin: 'flag' | 'port' | 'none' = 'none';
  if (location === 'local') {
    if (opts.serverPid !== undefined) {
      pids = [opts.serverPid];
      pidOrigin = 'flag';
    } else {
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      pids = findListeningPids(port);
      if (pids.length) pidOrigin = 'port';
    }
  } else if (opts.serverPid !== undefined) {
    throw new InputError(`--server-pid does not apply to ${url.host}: the server runs on another host, whose processes this machine cannot see; drop --server-pid`);
  }
  const power = location === 'local' ? await setupPower(opts, hardware) : { sources: [], warnings: [], notes: [] };
  if (!opts.json) {
    for (const warning of power.warnings) printWarning(warning);
    if (location === 'local' && pids.length === 0) {
      printWarning(`no process listening on ${url.host} was found (another user's, or not Linux): the estimate attributes only wattbench's own CPU time; pass --server-pid`);
    }
  }

  const db = openDb(resolveDbPath(opts.db));
  const interrupts = interceptRunInterrupts();
  const bar = !opts.json && process.stderr.isTTY === true ? createRunProgress() : undefined;
  try {
    const outcome = await runServerBenchmark({
      db,
      probe,
      model,
      location,
      pids,
      pidOrigin,
      suite,
      prompts,
      settings: {
        reps: opts.reps,
        warmup: opts.warmup,
        maxTokens: opts.maxTokens,
        seed: opts.seed ?? suite.suite.seed,
        label: opts.label,
        idleSeconds: location === 'local' ? opts.idleSeconds : 0,
        sampleIntervalMs: opts.sampleIntervalMs,
        power: location === 'local' ? (opts.power === 'auto' ? 'auto' : opts.power.join(',')) : 'none',
        format,
        streamTimeoutS: opts.streamTimeout,
      },
      hardware,
      powerSources: power.sources,
      signal: interrupts.signal,
      progress: bar,
    }).finally(() => interrupts.markOver());
    bar?.stop();
    const record = getRunRecord(db, outcome.runId);
    if (opts.json) process.stdout.write(`${JSON.stringify(record)}\n`);
    else process.stdout.write(`${formatRunSummary(record, [...formatEnergyLines(record), ...power.notes.map((n) => `  ${pc.dim(`Note: ${n}`)}`)])}\n`);
    const after = await hooks.afterRuns?.(db, [outcome.runId]);
    if (outcome.status === 'completed') return after ?? ExitCode.ok;
    return outcome.interruptedBy ? signalExitCode(outcome.interruptedBy) : ExitCode.interrupted;
  } finally {
    bar?.stop();
    interrupts.dispose();
    db.$client.close();
  }
}
