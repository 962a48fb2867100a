// `wattbench demo`: find or download a model, benchmark it on the standard suite, then serve the dashboard.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import pc from 'picocolors';
import { findLocalModel, RECOMMENDED_DEMO_MODEL, RECOMMENDED_DEMO_MODEL_PAGE } from '../../lib/model/findLocalModel';
import { modelsDir, resolveModelPath } from '../../lib/model/resolveModelPath';
import { resolveDbPath } from '../../lib/db/dbPath';
import { WattbenchError, ExitCode, signalExitCode } from '../../lib/errors/WattbenchError';
import { repsOption } from '../options/runOptions';
import { FLAG_RANGES } from '../options/flagRanges';
import { createDownloadProgress } from '../output/progress';
import { DEFAULT_RUN_OPTIONS, runCommand } from './run';
import { RUN_DEFAULTS } from '../../lib/runner/runDefaults';
import { dbOption, DEFAULT_HOST, portOption } from '../options/commonOptions';
import { PromptTooLongError } from '../../lib/runner/preparePrompts';
import { startDashboard } from '../../lib/server/startDashboard';
import { escapeTerminal } from '../output/escapeTerminal';
import readline from 'node:readline/promises';
import { estimateBuildSeconds, hasLocalBuild } from '../../lib/engine/buildEngine';
import fs from 'node:fs';
import path from 'node:path';
import { forgedFileBytes, forgeLlamaModelAsync, shapeForParameters, type ForgeType } from '../../lib/forge/forgeLlamaModel';
import { checkForgeTarget } from '../../lib/forge/checkForgeTarget';
import { formatBytes } from '../../lib/format/units';
import { SYNTHETIC_NOTE } from '../output/syntheticNote';

interface DemoOptions {
  model?: string;
  suite: string;
  reps: number;
  db?: string;
  port: number;
  serve: boolean;
}

/** Fewer repetitions than a run's default: the demo is a first look, not a measurement to publish. */
const DEMO_REPS = 2;

/**
 * The model forged when none is found and none can be downloaded: 10M parameters in Q8_0 (128 wide, 9 layers,
 * about 11 MiB, a few seconds to write). Its standard suite with the demo's repetitions, thread calibration
 * included, took about 20 s of CPU time on 2 cores: well under a minute. 25M took twice that.
 */
const DEMO_FORGE: { params: number; type: ForgeType } = { params: 10e6, type: 'q8_0' };

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('benchmark a model (yours, or a small recommended one) and open the dashboard')
    .option('-m, --model <model>', `a .gguf file or hf: URI (default: WATTBENCH_MODEL, else the first .gguf in ${modelsDir()}, else ${RECOMMENDED_DEMO_MODEL})`)
    .option('-s, --suite <name|file>', 'suite to run', RUN_DEFAULTS.suite)
    .addOption(repsOption(DEMO_REPS, FLAG_RANGES.demoReps))
    .addOption(dbOption())
    .addOption(portOption('-p, --port <n>'))
    .option('--no-serve', 'benchmark only, do not start the dashboard')
    .action(async (opts: DemoOptions) => {
      process.exitCode = await demoCommand(opts);
    });
}

async function demoCommand(opts: DemoOptions): Promise<number> {
  const found = opts.model ?? process.env.WATTBENCH_MODEL ?? findLocalModel(modelsDir()) ?? (await downloadRecommended());
  const synthetic = found === null;
  const model = found ?? (await forgeDemoModel());
  process.stderr.write(pc.dim(`Model: ${escapeTerminal(model)}\n`));
  await offerLocalBuild();
  const run = (suite: string) =>
    runCommand({ ...DEFAULT_RUN_OPTIONS, model, suite, reps: opts.reps, db: opts.db });
  let code: number;
  try {
    code = await run(opts.suite);
  } catch (err) {
    // A small-context model cannot hold the standard suite's ~1,000-token text: show it on the short suite instead.
    if (!(err instanceof PromptTooLongError) || opts.suite !== 'standard') throw err;
    process.stderr.write(pc.yellow(`note: ${err.message.split(';')[0]}: running the smoke suite instead\n`));
    code = await run('smoke');
  }
  // Said again under the summary, where people look: these figures are real, the model's text is not.
  if (synthetic && code === ExitCode.ok) process.stderr.write(pc.yellow(`Benchmarked a synthetic model: ${SYNTHETIC_NOTE.replace(/^Synthetic model: /, '')}\n`));
  if (code !== ExitCode.ok || !opts.serve) return code;
  const dashboard = await startDashboard({ port: opts.port, host: DEFAULT_HOST, dbPath: resolveDbPath(opts.db), build: 'stale' });
  process.stdout.write(`\n${pc.bold('Dashboard:')} ${dashboard.url}  ${pc.dim('(Ctrl-C to stop)')}\n`);
  openInBrowser(dashboard.url);
  await new Promise<void>((resolve) => {
    const stop = () => void dashboard.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return ExitCode.ok;
}

/** The recommended model, downloaded; null (having said why) when it cannot be. */
async function downloadRecommended(): Promise<string | null> {
  const dir = modelsDir();
  process.stderr.write(`No model found in ${dir}: downloading ${RECOMMENDED_DEMO_MODEL} (about 400 MB)…\n`);
  const bar = process.stderr.isTTY ? createDownloadProgress('Qwen2.5-0.5B-Instruct Q4_K_M') : null;
  let failure: Error;
  try {
    return await resolveModelPath(RECOMMENDED_DEMO_MODEL, { directory: dir, onProgress: bar?.update });
  } catch (err) {
    failure = err as Error;
  } finally {
    bar?.stop();
  }
  process.stderr.write(`It cannot be downloaded (${failure.message.split(';')[0]}).\n`);
  return null;
}

/**
 * Without a model and without a network: a synthetic one, forged once into <models>/synthetic/ (out of
 * findLocalModel's sight, so the next demo tries the download again) and said to be synthetic.
 */
async function forgeDemoModel(): Promise<string> {
  const dir = path.join(modelsDir(), 'synthetic');
  const size = `${DEMO_FORGE.params / 1e6}M`;
  const file = path.join(dir, `wattbench-forge-${size}-${DEMO_FORGE.type}.gguf`);
  const shape = shapeForParameters(DEMO_FORGE.params);
  const howToGetOne = `put any .gguf file in ${modelsDir()} (for example from ${RECOMMENDED_DEMO_MODEL_PAGE}) or pass --model path/to/model.gguf`;
  if (!fs.existsSync(file)) {
    // Ctrl-C while forging: the partial file is removed (forgeLlamaModelAsync), nothing is left behind.
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    try {
      fs.mkdirSync(dir, { recursive: true });
      const bytes = forgedFileBytes(shape, DEMO_FORGE.type);
      checkForgeTarget(file, bytes);
      process.stderr.write(`Forging a synthetic ${size}-parameter ${DEMO_FORGE.type.toUpperCase()} model instead (${formatBytes(bytes, 'en')}, no network needed)…\n`);
      await forgeLlamaModelAsync({ file, shape, type: DEMO_FORGE.type, signal: abort.signal });
    } catch (err) {
      if (abort.signal.aborted) throw new WattbenchError('demo interrupted by SIGINT while forging the synthetic model: nothing written', signalExitCode('SIGINT'));
      throw new WattbenchError(`no model to benchmark, the recommended one cannot be downloaded and a synthetic one cannot be written (${(err as Error).message}); ${howToGetOne}`);
    } finally {
      process.off('SIGINT', onSignal);
    }
  }
  process.stderr.write(pc.yellow(`${escapeTerminal(`${SYNTHETIC_NOTE} For real answers: ${howToGetOne}.`)}\n`));
  return file;
}

/**
 * On a terminal, offers to build llama.cpp for this machine when runs would use the prebuilt binary (never
 * silently, never without a terminal: there the run's own one-line warning says what to do).
 */
async function offerLocalBuild(): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY || process.env.CI || hasLocalBuild() || process.env.WATTBENCH_ENGINE === 'prebuilt') return;
  const minutes = Math.max(1, Math.round(estimateBuildSeconds('cpu') / 60));
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`Runs use the prebuilt llama.cpp binary. Build one for this machine first (about ${minutes} min, offline; or later: wattbench setup)? [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) return;
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [process.argv[1], 'setup'], { stdio: 'inherit' });
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) process.stderr.write(pc.yellow('note: the build failed; the demo goes on with the prebuilt binary\n'));
}

/** Opens the dashboard where there is a desktop to open it on; a headless machine just gets the URL. */
function openInBrowser(url: string): void {
  const hasDesktop = process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!hasDesktop || process.env.CI) return;
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}
