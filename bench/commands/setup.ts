// `wattbench setup`: build llama.cpp for this machine (offline, from the source node-llama-cpp ships) so that
// runs measure what the hardware can do; `--status` says which binary runs would use now.
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import os from 'node:os';
import pc from 'picocolors';
import { buildEngine, estimateBuildSeconds, hasLocalBuild, pickBackend, type EngineBackend } from '../../lib/engine/buildEngine';
import { describeEngine, engineLabel } from '../../lib/engine/describeEngine';
import { buildGenerationLoop } from '../../lib/engine/buildGenerationLoop';
import { loadLlama } from '../../lib/runner/loadLlama';
import { ExitCode } from '../../lib/errors/WattbenchError';
import { formatDuration } from '../../lib/format/numbers';

interface SetupOptions {
  gpu: 'auto' | EngineBackend;
  status?: boolean;
}

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('build llama.cpp for this CPU (and GPU) from the bundled source, offline; runs then use it')
    .addOption(new Option('--gpu <backend>', 'backend to build: auto picks CUDA where an NVIDIA GPU and nvcc exist, Metal on Apple silicon, else the CPU').choices(['auto', 'cpu', 'cuda', 'vulkan', 'metal']).default('auto'))
    .option('--status', 'say which llama.cpp binary runs use now, and what it lacks; build nothing')
    .action(async (opts: SetupOptions) => {
      process.exitCode = await setupCommand(opts);
    });
}

async function setupCommand(opts: SetupOptions): Promise<number> {
  if (opts.status) return printStatus();
  const picked = opts.gpu === 'auto' ? pickBackend() : { backend: opts.gpu, reason: 'asked for with --gpu' };
  const estimate = estimateBuildSeconds(picked.backend);
  process.stderr.write(`Building llama.cpp for ${picked.backend === 'cpu' ? 'this CPU' : picked.backend} (${picked.reason}): about ${Math.max(1, Math.round(estimate / 60))} min on ${os.availableParallelism()} CPUs, no network needed.\n`);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: `${pc.cyan('{bar}')} {value}/{total} compile steps · ETA {eta_formatted}`, hideCursor: true, etaBuffer: 30 },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  let lastPrinted = -1;
  const t0 = Date.now();
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    await buildEngine({
      backend: picked.backend,
      signal: abort.signal,
      onProgress(done, total) {
        if (bar) {
          if (!started) bar.start(total, done);
          started = true;
          bar.update(done);
          return;
        }
        // Without a terminal: a line every tenth of the way.
        const tenth = Math.floor((done / total) * 10);
        if (tenth > lastPrinted) {
          lastPrinted = tenth;
          process.stderr.write(`  ${done}/${total} compile steps (${formatDuration(Date.now() - t0, 'en', ' ')})\n`);
        }
      },
    });
  } finally {
    if (started) bar?.stop();
    process.off('SIGINT', onSignal);
  }
  process.stderr.write(`Built in ${formatDuration(Date.now() - t0, 'en', ' ')}.\n`);
  // The native generation loop links to llama.cpp by name, so one build serves the prebuilt and local binaries;
  // rebuilt here in case node_modules changed since `npm ci` built it.
  const loop = buildGenerationLoop();
  process.stderr.write(loop.built ? `Native generation loop built in ${formatDuration(loop.seconds * 1000, 'en', ' ')}.\n` : `Native generation loop not built: ${loop.reason}\n`);
  return printStatus();
}

async function printStatus(): Promise<number> {
  const engine = describeEngine(await loadLlama());
  process.stdout.write(`${pc.bold('Runs use:')} ${engineLabel(engine)}\n`);
  process.stdout.write(`  instruction sets: ${engine.instructionSets.join(' ') || 'none reported'}\n`);
  if (engine.missingInstructionSets.length > 0) {
    process.stdout.write(pc.yellow(`  missing: ${engine.missingInstructionSets.join(', ')} (this CPU has them): run wattbench setup\n`));
  }
  if (engine.kind === 'prebuilt') {
    const why = process.env.WATTBENCH_ENGINE === 'prebuilt'
      ? 'WATTBENCH_ENGINE=prebuilt: any local build is skipped'
      : hasLocalBuild()
        ? 'a local build exists but could not be loaded: run wattbench setup again'
        : 'no local build (npm ci removes it): wattbench setup builds one';
    process.stdout.write(pc.dim(`  ${why}\n`));
  }
  if (engine.generationLoop.kind !== 'native') process.stdout.write(pc.yellow(`  generation loop: node-llama-cpp's, because ${engine.generationLoop.reason ?? 'no reason recorded'}\n`));
  return ExitCode.ok;
}
