// `wattbench probe`: forge a ladder of model sizes that fit this machine, benchmark each on pp-tg (normal runs,
// stored), fit the machine's profile (bandwidth, prompt throughput, watts) and store it with the error of
// predicting a held-out size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { loadSuite } from '../../lib/suites/loadSuite';
import { RUN_DEFAULTS } from '../../lib/runner/runDefaults';
import { ExitCode, signalExitCode } from '../../lib/errors/WattbenchError';
import { INTERRUPT_SIGNALS, RunInterruption, type InterruptSignal } from '../../lib/runner/runEnding';
import { DEFAULT_PROBE_MAX_BYTES, LADDER_RUNGS, forgeCacheDir, probeLadder } from '../../lib/advise/runProbe';
import type { PowerSourceId } from '../../lib/power/types';
import { dbOption, idleWattsOption, jsonOption, powerOption, tdpOption } from '../options/commonOptions';
import { idleSecondsOption, repsOption, warmupOption } from '../options/runOptions';
import { rangeOption } from '../options/parseOptions';
import { FLAG_RANGES, describeRange } from '../options/flagRanges';
import { checkPowerFlags, setupPower } from './runPower';
import { formatProfile } from '../output/formatAdvice';
import { printWarning } from '../output/printError';
import { formatBytes } from '../../lib/format/units';
import { formatParameters } from '../../lib/forge/forgeLlamaModel';


interface ProbeCommandOptions {
  maxBytes?: number;
  rungs: number;
  db?: string;
  json?: boolean;
  threads?: number;
  reps: number;
  warmup: number;
  idleSeconds: number;
  power: 'auto' | PowerSourceId[];
  tdp?: number;
  idleWatts?: number;
}

export function registerProbeCommand(program: Command): void {
  program
    .command('probe')
    .description("forge a ladder of model sizes, benchmark each (pp-tg) and fit this machine's speed and power profile for `wattbench advise`")
    .addOption(
      new Option('--max-bytes <n>', `largest forged model (f16 weights), ${describeRange(FLAG_RANGES.probeMaxBytes)} (default: ${DEFAULT_PROBE_MAX_BYTES.toLocaleString('en-US')}, and at most a quarter of the free memory and disk)`).argParser(rangeOption(FLAG_RANGES.probeMaxBytes)),
    )
    .addOption(new Option('--rungs <n>', `forged sizes benchmarked, the largest that fit, each twice the one before, ${describeRange(FLAG_RANGES.probeRungs)}`).argParser(rangeOption(FLAG_RANGES.probeRungs)).default(LADDER_RUNGS))
    .addOption(dbOption())
    .addOption(jsonOption('one JSON object: the profile, its runs and the held-out error (no progress)'))
    .addOption(new Option('-t, --threads <n>', `CPU threads for llama.cpp, the same for every size, ${describeRange(FLAG_RANGES.threads)} (default: every physical core)`).argParser(rangeOption(FLAG_RANGES.threads)))
    .addOption(repsOption())
    .addOption(warmupOption())
    .addOption(idleSecondsOption())
    .addOption(powerOption())
    .addOption(tdpOption())
    .addOption(idleWattsOption())
    .action(async (opts: ProbeCommandOptions) => {
      process.exitCode = await probeCommand(opts);
    });
}

function freeDiskBytes(dir: string): number {
  let probe = dir;
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  const s = fs.statfsSync(probe);
  return s.bavail * s.bsize;
}

async function probeCommand(opts: ProbeCommandOptions): Promise<number> {
  const hardware = await detectHardware();
  checkPowerFlags(opts, hardware);
  const dir = forgeCacheDir();
  const ladder = probeLadder({ maxBytes: opts.maxBytes ?? DEFAULT_PROBE_MAX_BYTES, freeMemoryBytes: os.freemem(), freeDiskBytes: freeDiskBytes(dir), dir, rungs: opts.rungs });
  const suite = loadSuite('pp-tg');
  const db = openDb(resolveDbPath(opts.db));
  const say = (line: string) => {
    if (!opts.json) process.stderr.write(`${line}\n`);
  };
  const abort = new AbortController();
  const onSignal = (signal: InterruptSignal): void => {
    if (abort.signal.aborted) process.exit(signalExitCode(signal));
    abort.abort(new RunInterruption(signal));
  };
  const handlers = INTERRUPT_SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const [{ runProbe }, { runBenchmark }] = await Promise.all([import('../../lib/advise/runProbe'), import('../../lib/runner/runBenchmark')]);
    say(`Probe: ${ladder.length} forged sizes (${ladder.map((r) => `${formatParameters(r.parameters)} f16, ${formatBytes(r.bytes, 'en')}`).join('; ')}), cached in ${dir}`);
    const result = await runProbe({
      db,
      hardware,
      suite,
      ladder,
      settings: {
        // One count for the whole ladder, every physical core by default (as llama-bench).
        threads: opts.threads ?? hardware.cpuCores,
        reps: opts.reps,
        warmup: opts.warmup,
        contextSize: RUN_DEFAULTS.contextSize,
        seed: suite.suite.seed,
        idleSeconds: opts.idleSeconds,
        sampleIntervalMs: RUN_DEFAULTS.sampleIntervalMs,
        gpuLayers: RUN_DEFAULTS.gpuLayers,
        power: opts.power === 'auto' ? 'auto' : opts.power.join(','),
        promptFormat: 'completion',
      },
      async powerSources() {
        const power = await setupPower(opts, hardware);
        for (const warning of power.warnings) if (!opts.json) printWarning(warning);
        return power.sources;
      },
      runBenchmark,
      signal: abort.signal,
      progress: {
        onRung({ index, total, rung, stage, runId }) {
          const what = `[${index + 1}/${total}] ${formatParameters(rung.parameters)} f16 (${formatBytes(rung.bytes, 'en')})`;
          if (stage === 'forging') say(`${what}: forging ${rung.file}`);
          else if (stage === 'cached') say(`${what}: reusing ${rung.file}`);
          else if (stage === 'benchmarking') say(`${what}: benchmarking on pp-tg`);
          else if (stage === 'done') say(`${what}: run ${runId} stored`);
        },
      },
    });
    if ('interrupted' in result && result.interrupted) {
      say(`Probe interrupted during run ${result.interrupted.runId}: no profile stored (the runs so far are kept).`);
      return result.interrupted.interruptedBy ? signalExitCode(result.interrupted.interruptedBy) : ExitCode.interrupted;
    }
    if (!('profileId' in result)) return ExitCode.runFailed;
    if (opts.json) process.stdout.write(`${JSON.stringify({ profileId: result.profileId, runIds: result.runIds, heldOutRunId: result.heldOutRunId, fit: result.fit })}\n`);
    else process.stdout.write(`${formatProfile(result.fit, result.profileId)}\nNext: wattbench advise${opts.db ? ` --db ${opts.db}` : ''}\n`);
    return ExitCode.ok;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    db.$client.close();
  }
}
