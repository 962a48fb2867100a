// Live progress on a terminal (stderr): one bar for the suite with an ETA, one for downloads.
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import { escapeTerminal } from './escapeTerminal';
import type { BenchmarkProgress } from '../../lib/runner/runBenchmark';
import { formatNumber } from '../../lib/format/numbers';

export interface RunProgress extends BenchmarkProgress {
  stop(): void;
}

export function createRunProgress(): RunProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${pc.cyan('{bar}')} {value}/{total} · ETA {eta_formatted} · {what}`,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let lastRate = '';
  return {
    onStage(stage, detail) {
      if (stage === 'loading') process.stderr.write(pc.dim(`Loading ${escapeTerminal(detail ?? 'model')}…\n`));
      if (stage === 'idle') process.stderr.write(pc.dim(`Measuring idle power for ${detail}…\n`));
      if (stage === 'calibrating') process.stderr.write(pc.dim(detail ? `  trying ${detail}…\n` : 'Calibrating threads (once for this machine, build and model size)…\n'));
    },
    onStep({ prompt, rep, warmup, step, totalSteps, reps, warmups }) {
      const what = `${escapeTerminal(prompt.prompt.id)} ${warmup ? `warm-up ${rep + 1}/${warmups}` : `rep ${rep + 1}/${reps}`}${lastRate}`;
      if (!started) {
        bar.start(totalSteps, step - 1, { what });
        started = true;
      }
      bar.update(step - 1, { what });
    },
    onThreads(choice) {
      if (choice.origin !== 'flag') process.stderr.write(pc.dim(`Threads: ${choice.reason}\n`));
    },
    onResult(result) {
      if (result.genTokensPerSec !== null) lastRate = ` · ${formatNumber(result.genTokensPerSec, 'en')} tok/s`;
    },
    stop() {
      if (started) {
        bar.stop();
        started = false;
      }
    },
  };
}

export function createDownloadProgress(what: string): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `Downloading ${what} ${pc.cyan('{bar}')} {percentage}% · {done}/{all} MiB · ETA {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const mib = (b: number) => formatNumber(b / 2 ** 20, 'en', { decimals: 0 });
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done, { done: mib(done), all: mib(total) });
        started = true;
      }
      bar.update(done, { done: mib(done), all: mib(total) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
