// `wattbench demo`: find or download a model, benchmark it on the standard suite, then serve the dashboard.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import pc from 'picocolors';
import { findLocalModel, RECOMMENDED_DEMO_MODEL, RECOMMENDED_DEMO_MODEL_PAGE } from '../../lib/model/findLocalModel';
import { modelsDir, resolveModelPath } from '../../lib/model/resolveModelPath';
import { resolveDbPath } from '../../lib/db/dbPath';
import { WattbenchError, ExitCode } from '../../lib/errors/WattbenchError';
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
  const model = opts.model ?? process.env.WATTBENCH_MODEL ?? findLocalModel(modelsDir()) ?? (await downloadRecommended());
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

async function downloadRecommended(): Promise<string> {
  const dir = modelsDir();
  process.stderr.write(`No model found in ${dir}: downloading ${RECOMMENDED_DEMO_MODEL} (about 400 MB)…\n`);
  const bar = process.stderr.isTTY ? createDownloadProgress('Qwen2.5-0.5B-Instruct Q4_K_M') : null;
  try {
    return await resolveModelPath(RECOMMENDED_DEMO_MODEL, { directory: dir, onProgress: bar?.update });
  } catch (err) {
    throw new WattbenchError(
      `no model to benchmark and the recommended one cannot be downloaded (${(err as Error).message.split(';')[0]}); put any .gguf file in ${dir} (for example from ${RECOMMENDED_DEMO_MODEL_PAGE}) or pass --model path/to/model.gguf`,
    );
  } finally {
    bar?.stop();
  }
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
