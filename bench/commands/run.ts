// `wattbench run`: benchmark one model on one suite, store it, print the summary (or --json).
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { engineWarnings } from '../output/engineWarning';
import { loadSuite } from '../../lib/suites/loadSuite';
import { getRunRecord } from '../../lib/records/getRunRecord';
import type { BenchmarkSettings } from '../../lib/runner/runBenchmark';
import { parseModelSpec } from '../../lib/model/parseModelSpec';
import { InputError, ExitCode, signalExitCode } from '../../lib/errors/WattbenchError';
import { INTERRUPT_SIGNALS, RunInterruption, firstLine, type InterruptSignal } from '../../lib/runner/runEnding';
import { contextOption, gpuLayersOption, idleSecondsOption, maxTokensOption, repsOption, sampleIntervalOption, seedOption, serverPidOption, streamTimeoutOption, threadsOption, warmupOption } from '../options/runOptions';
import { dbOption, idleWattsOption, jsonOption, powerOption, tdpOption } from '../options/commonOptions';
import { RUN_DEFAULTS } from '../../lib/runner/runDefaults';
import { createRunProgress, createDownloadProgress } from '../output/progress';
import { formatRunSummary } from '../output/formatRunSummary';
import { printError, printWarning } from '../output/printError';
import { checkPowerFlags, setupPower } from './runPower';
import { formatEnergyLines } from '../output/formatEnergyLines';
import type { PowerSourceId } from '../../lib/power/types';
import type { EngineInfo } from '../../lib/engine/describeEngine';

export interface RunCommandOptions {
  model?: string;
  suite: string;
  threads?: number;
  reps: number;
  warmup: number;
  context?: number;
  maxTokens?: number;
  seed?: number;
  label?: string;
  db?: string;
  json?: boolean;
  gpuLayers: 'auto' | 'max' | number;
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
  gpuLayers: RUN_DEFAULTS.gpuLayers,
  power: RUN_DEFAULTS.power,
  idleSeconds: RUN_DEFAULTS.idleSeconds,
  sampleIntervalMs: RUN_DEFAULTS.sampleIntervalMs,
  promptFormat: RUN_DEFAULTS.promptFormat,
};

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('benchmark a GGUF model on a prompt suite and store the results')
    .option('-m, --model <model>', 'a .gguf file, hf:owner/repo[:quant], hf:owner/repo/file.gguf, or an https URL (default: WATTBENCH_MODEL)')
    .option('-s, --suite <name|file>', 'bundled suite (smoke, standard, pp-tg) or a suite JSON file', RUN_DEFAULTS.suite)
    .addOption(threadsOption())
    .addOption(repsOption())
    .addOption(warmupOption())
    .addOption(contextOption())
    .addOption(maxTokensOption())
    .addOption(seedOption())
    .option('--label <text>', 'a free-text label stored with the run')
    .addOption(dbOption())
    .addOption(jsonOption('one JSON object with the run record (no progress)'))
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
    .action(async (opts: RunCommandOptions & { endpoint?: string; api?: 'openai' | 'ollama'; serverPid?: number; streamTimeout: number }) => {
      if (opts.endpoint !== undefined) {
        const { runServerCommand } = await import('./runServer');
        process.exitCode = await runServerCommand({ ...opts, endpoint: opts.endpoint });
        return;
      }
      for (const flag of ['api', 'serverPid'] as const) {
        if (opts[flag] !== undefined) throw new InputError(`--${flag === 'api' ? 'api' : 'server-pid'} applies only with --endpoint; pass --endpoint URL or drop it`);
      }
      process.exitCode = await runCommand(opts);
    });
}

export async function runCommand(opts: RunCommandOptions): Promise<number> {
  // Flags before files: every flag is checked before the suite, the database or the model is touched.
  const modelSpec = opts.model ?? process.env.WATTBENCH_MODEL;
  if (!modelSpec) throw new InputError('no model given; pass --model path/to/model.gguf (or hf:owner/repo:quant) or set WATTBENCH_MODEL');
  parseModelSpec(modelSpec); // a malformed spec is bad input: reported before any file is touched
  const hardware = await detectHardware();
  checkPowerFlags(opts, hardware);
  const interactive = !opts.json && process.stderr.isTTY === true;
  const suite = loadSuite(opts.suite);
  const dbPath = resolveDbPath(opts.db);
  const db = openDb(dbPath);
  // node-llama-cpp (its JavaScript alone: about a second of CPU) is loaded once the flags, the suite, the
  // database and the model's path have passed, so that bad input is answered at once.
  async function resolveAndInspect(spec: string) {
    const { resolveModelPath, isRemoteModel } = await import('../../lib/model/resolveModelPath');
    const download = interactive && isRemoteModel(spec) ? createDownloadProgress(spec) : null;
    const modelPath = await resolveModelPath(spec, { onProgress: download?.update });
    download?.stop();
    const [{ inspectModelFile }, { runBenchmark }] = await Promise.all([import('../../lib/model/inspectModelFile'), import('../../lib/runner/runBenchmark')]);
    const { facts } = await inspectModelFile(modelPath);
    const power = await setupPower(opts, hardware);
    for (const warning of power.warnings) if (!opts.json) printWarning(warning);
    return { modelPath, facts, power, runBenchmark };
  }
  // Until the run starts (its own try/finally closes the database), a failure closes it here.
  const { modelPath, facts, power, runBenchmark } = await resolveAndInspect(modelSpec).catch((err: unknown) => {
    db.$client.close();
    throw err;
  });

  const settings: BenchmarkSettings = {
    threads: opts.threads ?? RUN_DEFAULTS.threads,
    reps: opts.reps,
    warmup: opts.warmup,
    contextSize: opts.context ?? RUN_DEFAULTS.contextSize,
    maxTokens: opts.maxTokens,
    seed: opts.seed ?? suite.suite.seed,
    label: opts.label,
    idleSeconds: opts.idleSeconds,
    sampleIntervalMs: opts.sampleIntervalMs,
    gpuLayers: opts.gpuLayers,
    power: opts.power === 'auto' ? 'auto' : opts.power.join(','),
    promptFormat: opts.promptFormat ?? RUN_DEFAULTS.promptFormat,
  };

  // SIGINT (Ctrl-C), SIGTERM, SIGHUP (terminal closed) and SIGQUIT end the run cleanly after the current
  // token, and the run says which; a crash anywhere in the process ends it "failed" the same way.
  const abort = new AbortController();
  const onSignal = (signal: InterruptSignal): void => {
    // A second signal: leave now; the next open marks the run interrupted.
    if (abort.signal.aborted) process.exit(signalExitCode(signal));
    // The terminal is gone: writing to it fails (EIO), which must not turn the clean end into a crash.
    if (signal === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    abort.abort(new RunInterruption(signal));
  };
  let runOver = false;
  const onCrash = (err: unknown): void => {
    if (!runOver && !abort.signal.aborted) return abort.abort(err instanceof Error ? err : new Error(String(err)));
    // The run is already ending (its finishing path crashed: the next open marks it interrupted) or over.
    printError(`unexpected failure: ${firstLine(err)}`);
    process.exit(ExitCode.runFailed);
  };
  const handlers = INTERRUPT_SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const bar = interactive ? createRunProgress() : undefined;
  const progress = {
    ...bar,
    onEngine(engine: EngineInfo) {
      if (!opts.json) for (const warning of engineWarnings(engine)) printWarning(warning);
    },
  };
  try {
    const outcome = await runBenchmark({
      db,
      modelSpec,
      modelPath,
      modelFacts: facts,
      suite,
      settings,
      hardware,
      powerSources: power.sources,
      signal: abort.signal,
      progress,
    }).finally(() => (runOver = true));
    bar?.stop();
    const record = getRunRecord(db, outcome.runId);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ...record, samplerCpuPercent: outcome.samplerCpuPercent })}\n`);
    } else {
      process.stdout.write(`${formatRunSummary(record, [...formatEnergyLines(record), ...power.notes.map((n) => `  ${pc.dim(`Note: ${n}`)}`)])}\n`);
    }
    if (outcome.status === 'completed') return ExitCode.ok;
    return outcome.interruptedBy ? signalExitCode(outcome.interruptedBy) : ExitCode.interrupted;
  } finally {
    bar?.stop();
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    db.$client.close();
  }
}
