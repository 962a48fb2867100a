// `wattbench run`: benchmark one model on one suite, store it, print the summary (or --json). Comma lists in
// --model, --threads, --context, --batch and --gpu-layers make a sweep: every combination is one run, and the
// command ends with one table (or a JSON array of the run records).
import { randomUUID } from 'node:crypto';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { engineWarnings } from '../output/engineWarning';
import { loadSuite } from '../../lib/suites/loadSuite';
import { getRunRecord } from '../../lib/records/getRunRecord';
import type { BenchmarkProgress, BenchmarkSettings } from '../../lib/runner/runBenchmark';
import type { Db } from '../../lib/db/openDb';
import { parseModelSpec } from '../../lib/model/parseModelSpec';
import { checkOllamaSpecs } from '../../lib/model/resolveModelPath';
import { InputError, ExitCode, WattbenchError, signalExitCode } from '../../lib/errors/WattbenchError';
import { sweepCombinations, type SweepCombination, type SweepModel } from '../../lib/runner/sweepCombinations';
import { formatSweepTable, type SweepTableRow } from '../output/formatSweepTable';
import { escapeTerminal } from '../output/escapeTerminal';
import { formatDuration } from '../../lib/format/numbers';
import { firstLine } from '../../lib/runner/runEnding';
import { batchOption, contextOption, gpuLayersOption, idleSecondsOption, maxTokensOption, repsOption, sampleIntervalOption, seedOption, serverPidOption, streamTimeoutOption, threadsOption, warmupOption } from '../options/runOptions';
import { dbOption, idleWattsOption, jsonOption, powerOption, tdpOption } from '../options/commonOptions';
import { RUN_DEFAULTS } from '../../lib/runner/runDefaults';
import { createRunProgress, createDownloadProgress } from '../output/progress';
import { formatRunSummary } from '../output/formatRunSummary';
import { printError, printWarning } from '../output/printError';
import { checkPowerFlags, setupPower } from './runPower';
import { formatEnergyLines } from '../output/formatEnergyLines';
import type { PowerSourceId } from '../../lib/power/types';
import type { EngineInfo } from '../../lib/engine/describeEngine';
import { interceptRunInterrupts } from './runInterrupts';

export interface RunCommandOptions {
  model?: string;
  suite: string;
  /** Comma lists (a sweep); absent: calibrated / fitted to the suite. */
  threads?: number[];
  reps: number;
  warmup: number;
  context?: number[];
  /** llama.cpp batch sizes; absent: node-llama-cpp's default. */
  batch?: number[];
  maxTokens?: number;
  seed?: number;
  label?: string;
  db?: string;
  json?: boolean;
  gpuLayers: Array<'auto' | 'max' | number>;
  power: 'auto' | PowerSourceId[];
  tdp?: number;
  idleWatts?: number;
  idleSeconds: number;
  sampleIntervalMs: number;
  promptFormat?: 'auto' | 'chat' | 'completion';
}

/** The options of a run with every flag left at its default, for callers such as `wattbench demo`. */
export const DEFAULT_RUN_OPTIONS: Omit<RunCommandOptions, 'model'> = {
  suite: RUN_DEFAULTS.suite,
  reps: RUN_DEFAULTS.reps,
  warmup: RUN_DEFAULTS.warmup,
  gpuLayers: [RUN_DEFAULTS.gpuLayers],
  power: RUN_DEFAULTS.power,
  idleSeconds: RUN_DEFAULTS.idleSeconds,
  sampleIntervalMs: RUN_DEFAULTS.sampleIntervalMs,
  promptFormat: RUN_DEFAULTS.promptFormat,
};

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('benchmark a GGUF model on a prompt suite and store the results')
    .option('-m, --model <model[,model…]>', 'a .gguf file, hf:owner/repo[:quant], hf:owner/repo/file.gguf, an https URL, or ollama:name[:tag] (default: WATTBENCH_MODEL); a comma list sweeps')
    .option('-s, --suite <name|file>', 'bundled suite (smoke, standard, pp-tg, quality) or a suite JSON file', RUN_DEFAULTS.suite)
    .addOption(threadsOption())
    .addOption(repsOption())
    .addOption(warmupOption())
    .addOption(contextOption())
    .addOption(batchOption())
    .addOption(maxTokensOption())
    .addOption(seedOption())
    .option('--label <text>', 'a free-text label stored with the run')
    .addOption(dbOption())
    .addOption(jsonOption('one JSON object with the run record, an array of them for a sweep (no progress)'))
    .addOption(gpuLayersOption())
    .addOption(powerOption())
    .addOption(tdpOption())
    .addOption(idleWattsOption())
    .addOption(new Option('--prompt-format <format>', "through the chat template, or raw completion (auto: chat when the model has a template)").choices(['auto', 'chat', 'completion']).default(RUN_DEFAULTS.promptFormat))
    .addOption(idleSecondsOption())
    .addOption(sampleIntervalOption())
    .option('--endpoint <url>', 'benchmark a running server instead of a .gguf file (Ollama, llama-server, LM Studio, vLLM); --model is then the name it serves')
    .addOption(new Option('--api <api>', 'with --endpoint: the API to use (default: detected, Ollama\'s native one first)').choices(['openai', 'ollama']))
    .addOption(serverPidOption())
    .addOption(streamTimeoutOption())
    .option('--share <url>', 'after the run, publish it to a workshop leader (its join link, http://HOST:PORT/CODE#TOKEN); a failed upload is queued for `wattbench share --pending`')
    .option('--token <token>', "with --share: the workshop's upload token (default: the link's #fragment)")
    .option('--nickname <name>', 'with --share: the name the room sees (default: the last one used, else an anonymous adjective-animal)')
    .action(async (opts: RunCommandOptions & { endpoint?: string; api?: 'openai' | 'ollama'; serverPid?: number; streamTimeout: number } & ShareFlags) => {
      const hooks = await shareHooks(opts);
      if (opts.endpoint !== undefined) {
        const { runServerCommand } = await import('./runServer');
        process.exitCode = await runServerCommand({ ...opts, endpoint: opts.endpoint }, hooks);
        return;
      }
      for (const flag of ['api', 'serverPid'] as const) {
        if (opts[flag] !== undefined) throw new InputError(`--${flag === 'api' ? 'api' : 'server-pid'} applies only with --endpoint; pass --endpoint URL or drop it`);
      }
      process.exitCode = await runCommand(opts, hooks);
    });
}

interface ShareFlags {
  share?: string;
  token?: string;
  nickname?: string;
}

/** --share: checked before any work (a bad link or a missing token is bad input); after the runs, each completed one is pushed. */
async function shareHooks(opts: ShareFlags & { json?: boolean }): Promise<RunHooks> {
  if (opts.share === undefined) {
    if (opts.token !== undefined || opts.nickname !== undefined) throw new InputError(`--${opts.token !== undefined ? 'token' : 'nickname'} applies only with --share URL; pass --share or drop it`);
    return {};
  }
  const [{ parseJoinLink }, { cleanNickname }, share] = await Promise.all([import('../../lib/workshop/client/joinLink'), import('../../lib/workshop/client/nickname'), import('./share')]);
  const target = parseJoinLink(opts.share, opts.token);
  if (target.token === null) throw new InputError('--share needs the upload token: pass the whole join link (with its #token) or --token T');
  const nickname = opts.nickname === undefined ? null : cleanNickname(opts.nickname);
  if (opts.nickname !== undefined && nickname === null) throw new InputError('--nickname must be 1 to 40 printable characters');
  const token = target.token;
  return { afterRuns: (db, runIds) => share.shareCompletedRuns(db, { ...target, token }, runIds, { nickname: nickname ?? share.lastNickname(db) }, opts.json ? process.stderr : process.stdout) };
}

/**
 * --model's comma list: every spec's syntax checked (a malformed one is bad input naming it), none twice. One
 * spec is kept exactly as given.
 */
function parseModelList(spec: string): string[] {
  const specs = spec.split(',').map((s) => s.trim());
  if (specs.length === 1) {
    parseModelSpec(spec);
    return [spec];
  }
  if (specs.some((s) => s === '')) throw new InputError(`--model "${spec}" has an empty element; separate the models with single commas`);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s)) throw new InputError(`--model lists "${s}" twice; give each model once`);
    seen.add(s);
    try {
      parseModelSpec(s);
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`--model element "${s}": ${err.message}`);
      throw err;
    }
  }
  return specs;
}

/** "stories260K.gguf · 2 threads · context auto · batch default · GPU layers auto". */
function describeCombination(c: SweepCombination): string {
  const threads = c.threads === 'auto' ? 'threads auto' : `${c.threads} thread${c.threads === 1 ? '' : 's'}`;
  return `${c.model.facts.fileName} · ${threads} · context ${c.contextSize} · batch ${c.batchSize ?? 'default'} · GPU layers ${c.gpuLayers}`;
}

/** What a caller adds to a run (`join`, `--share`): progress of its own, and work on the stored runs before the database closes. */
export interface RunHooks {
  /** Each step of the suite (after the terminal's bar). */
  onStep?: NonNullable<BenchmarkProgress['onStep']>;
  /** After every run has ended and its summary was printed; the exit code it returns, if any, replaces the run's when the run succeeded. */
  afterRuns?: (db: Db, runIds: number[]) => Promise<number | void>;
}

export async function runCommand(opts: RunCommandOptions, hooks: RunHooks = {}): Promise<number> {
  // Flags before files: every flag is checked before the suite, the database or the model is touched.
  const modelSpec = opts.model ?? process.env.WATTBENCH_MODEL;
  if (!modelSpec) throw new InputError('no model given; pass --model path/to/model.gguf (or hf:owner/repo:quant) or set WATTBENCH_MODEL');
  const modelSpecs = parseModelList(modelSpec); // a malformed spec is bad input: reported before any file is touched
  const hardware = await detectHardware();
  checkPowerFlags(opts, hardware);
  checkOllamaSpecs(modelSpecs); // an ollama: model the store lacks is refused before the database is opened
  const interactive = !opts.json && process.stderr.isTTY === true;
  const suite = loadSuite(opts.suite);
  const dbPath = resolveDbPath(opts.db);
  const db = openDb(dbPath);
  // node-llama-cpp (its JavaScript alone: about a second of CPU) is loaded once the flags, the suite, the
  // database and the models' paths have passed, so that bad input is answered at once. Every model of a sweep
  // is resolved and checked before the first run.
  async function resolveAndInspect(specs: string[]) {
    const { resolveModelPath, isRemoteModel, modelDisplayName } = await import('../../lib/model/resolveModelPath');
    const [{ inspectModelFile }, { runSweep }] = await Promise.all([import('../../lib/model/inspectModelFile'), import('../../lib/runner/runSweep')]);
    const models: SweepModel[] = [];
    for (const spec of specs) {
      const download = interactive && isRemoteModel(spec) ? createDownloadProgress(spec) : null;
      const modelPath = await resolveModelPath(spec, { onProgress: download?.update });
      download?.stop();
      const { facts } = await inspectModelFile(modelPath, { displayName: modelDisplayName(spec) });
      models.push({ spec, path: modelPath, facts });
    }
    const power = await setupPower(opts, hardware);
    for (const warning of power.warnings) if (!opts.json) printWarning(warning);
    return { models, power, runSweep };
  }
  // Until the runs start (their try/finally closes the database), a failure closes it here.
  const { models, power, runSweep } = await resolveAndInspect(modelSpecs).catch((err: unknown) => {
    db.$client.close();
    throw err;
  });

  const settings: BenchmarkSettings = {
    threads: RUN_DEFAULTS.threads,
    reps: opts.reps,
    warmup: opts.warmup,
    contextSize: RUN_DEFAULTS.contextSize,
    maxTokens: opts.maxTokens,
    seed: opts.seed ?? suite.suite.seed,
    label: opts.label,
    idleSeconds: opts.idleSeconds,
    sampleIntervalMs: opts.sampleIntervalMs,
    gpuLayers: RUN_DEFAULTS.gpuLayers,
    power: opts.power === 'auto' ? 'auto' : opts.power.join(','),
    promptFormat: opts.promptFormat ?? RUN_DEFAULTS.promptFormat,
  };
  // Every combination of the lists is one run; one combination is a single run (no sweep id), as always.
  const combinations = sweepCombinations({
    models,
    gpuLayers: opts.gpuLayers.length ? opts.gpuLayers : [RUN_DEFAULTS.gpuLayers],
    threads: opts.threads ?? [RUN_DEFAULTS.threads],
    contextSizes: opts.context ?? [RUN_DEFAULTS.contextSize],
    batchSizes: opts.batch ?? [undefined],
  });
  const sweepId = combinations.length > 1 ? randomUUID() : null;

  // Signals end the run after the current token (a sweep starts no further run); a crash ends it failed.
  const interrupts = interceptRunInterrupts();
  const bar = interactive ? createRunProgress() : undefined;
  const progress: BenchmarkProgress & { onEngine(engine: EngineInfo): void } = {
    ...bar,
    onStep(step) {
      bar?.onStep?.(step);
      hooks.onStep?.(step);
    },
    onEngine(engine: EngineInfo) {
      if (!opts.json) for (const warning of engineWarnings(engine)) printWarning(warning);
    },
  };
  const warnedEngines = new Set<string>();
  // A sweep loads the binary once per model: its warning is said once.
  const sweepProgressEngine = (engine: EngineInfo) => {
    if (warnedEngines.has(engine.buildId)) return;
    warnedEngines.add(engine.buildId);
    progress.onEngine(engine);
  };
  try {
    const runs = await runSweep({
      db,
      combinations,
      sweepId,
      suite,
      settings,
      hardware,
      powerSources: power.sources,
      signal: interrupts.signal,
      progress: { ...progress, onEngine: sweepProgressEngine },
      sweepProgress: {
        onCombination({ index, total, combination, etaMs }) {
          if (sweepId === null || opts.json) return;
          const eta = etaMs === null ? '' : ` · ETA ${formatDuration(etaMs, 'en', ' ')}`;
          process.stderr.write(`${pc.bold(`Combination ${index} of ${total}`)}: ${escapeTerminal(describeCombination(combination))}${pc.dim(eta)}\n`);
        },
        onCombinationEnd(run) {
          bar?.stop();
          if (run.error !== null) printError(`combination ${run.index} of ${combinations.length} failed (${describeCombination(run.combination)}): ${firstLine(run.error)}`);
        },
      },
    }).finally(() => interrupts.markOver());
    bar?.stop();

    if (sweepId === null) {
      // A single run: its record, as it always was.
      const outcome = runs[0].outcome!;
      const record = getRunRecord(db, outcome.runId);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...record, samplerCpuPercent: outcome.samplerCpuPercent })}\n`);
      } else {
        process.stdout.write(`${formatRunSummary(record, [...formatEnergyLines(record), ...power.notes.map((n) => `  ${pc.dim(`Note: ${n}`)}`)])}\n`);
      }
      const after = await hooks.afterRuns?.(db, [outcome.runId]);
      if (outcome.status === 'completed') return after ?? ExitCode.ok;
      return outcome.interruptedBy ? signalExitCode(outcome.interruptedBy) : ExitCode.interrupted;
    }

    // A sweep: an array of run records, or one table.
    const rows: SweepTableRow[] = runs.map((r) => ({
      index: r.index,
      combination: r.combination,
      record: r.runId === null ? null : getRunRecord(db, r.runId),
      error: r.error === null ? null : firstLine(r.error),
    }));
    if (opts.json) {
      const records = runs.flatMap((r, i) => (rows[i].record ? [{ ...rows[i].record, ...(r.outcome ? { samplerCpuPercent: r.outcome.samplerCpuPercent } : {}) }] : []));
      process.stdout.write(`${JSON.stringify(records)}\n`);
    } else {
      const notes = power.notes.map((n) => pc.dim(`Note: ${n}`));
      process.stdout.write(`${[pc.bold(`Sweep ${sweepId}: ${runs.length} of ${combinations.length} combinations run`), formatSweepTable(rows), ...notes].join('\n')}\n`);
    }
    const after = await hooks.afterRuns?.(db, runs.flatMap((r) => (r.runId === null ? [] : [r.runId])));
    // Interrupted (during a run or between two) outranks a failure: the user stopped the sweep.
    const stoppedBy = interrupts.signalExitCode();
    if (stoppedBy !== null) return stoppedBy;
    const failed = runs.find((r) => r.error !== null);
    if (failed) return failed.error instanceof WattbenchError ? failed.error.exitCode : ExitCode.runFailed;
    const interrupted = runs.find((r) => r.outcome?.status === 'interrupted');
    if (interrupted) return interrupted.outcome!.interruptedBy ? signalExitCode(interrupted.outcome!.interruptedBy) : ExitCode.interrupted;
    return after ?? ExitCode.ok;
  } finally {
    bar?.stop();
    interrupts.dispose();
    db.$client.close();
  }
}
