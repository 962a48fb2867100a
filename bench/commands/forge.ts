// `wattbench forge`: write a synthetic llama GGUF of a chosen size and type (random weights, built-in tokenizer)
// to benchmark a machine for a model size without downloading one. Streams, with progress; the file appears
// whole or not at all.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import {
  countParameters,
  defaultKvHeads,
  forgedFileBytes,
  forgeLlamaModelAsync,
  formatParameters,
  shapeForParameters,
  shapeOfWidth,
  shapeProblem,
  validHeads,
  type ForgeType,
  type LlamaShape,
} from '../../lib/forge/forgeLlamaModel';
import { checkForgeTarget } from '../../lib/forge/checkForgeTarget';
import { ExitCode, InputError, signalExitCode } from '../../lib/errors/WattbenchError';
import { formatBytes } from '../../lib/format/units';
import { formatCount, formatDuration, formatNumber } from '../../lib/format/numbers';
import { forgeOptions } from '../options/forgeOptions';
import { escapeTerminal } from '../output/escapeTerminal';
import { SYNTHETIC_NOTE } from '../output/syntheticNote';

interface ForgeCommandOptions {
  params?: number;
  type: ForgeType;
  layers?: number;
  embd?: number;
  heads?: number;
  kvHeads?: number;
  ff?: number;
  vocab?: number;
  context?: number;
  seed?: number;
  out: string;
  force?: boolean;
}

export function registerForgeCommand(program: Command): void {
  const command = program
    .command('forge')
    .description('write a synthetic llama model (random weights, gibberish text, real speed and energy for its size) to benchmark')
    .requiredOption('-o, --out <file.gguf>', 'the file to write')
    .option('--force', 'overwrite --out if it exists');
  for (const option of forgeOptions()) command.addOption(option);
  command.action(async (opts: ForgeCommandOptions) => {
    process.exitCode = await forgeCommand(opts);
  });
}

/**
 * The shape the flags ask for: --params gives a llama-family shape, --embd one of that width; explicit
 * --layers, --heads, --kv-heads, --ff, --vocab and --context override it (heads and KV heads follow a new width
 * or head count unless given).
 */
export function shapeFromFlags(opts: Omit<ForgeCommandOptions, 'out' | 'type'>): LlamaShape {
  if (opts.params === undefined && opts.embd === undefined) throw new InputError('forge needs a size: pass --params (e.g. --params 25M) or a shape (--embd and --layers)');
  let shape = opts.params !== undefined ? shapeForParameters(opts.params) : shapeOfWidth(opts.embd!, opts.layers ?? Math.max(4, Math.round(opts.embd! / 64)));
  if (opts.embd !== undefined && opts.embd !== shape.embd) shape = { ...shapeOfWidth(opts.embd, shape.layers), vocab: shape.vocab, context: shape.context };
  // A width off the 64-multiples: the nearest head count that divides it (an explicit --heads is checked instead).
  const heads = opts.heads ?? validHeads(shape.embd, shape.heads);
  if (heads !== shape.heads) shape = { ...shape, heads, kvHeads: defaultKvHeads(heads) };
  return {
    vocab: opts.vocab ?? shape.vocab,
    embd: shape.embd,
    layers: opts.layers ?? shape.layers,
    heads,
    kvHeads: opts.kvHeads ?? (opts.heads !== undefined ? defaultKvHeads(heads) : shape.kvHeads),
    ff: opts.ff ?? shape.ff,
    context: opts.context ?? shape.context,
  };
}

async function forgeCommand(opts: ForgeCommandOptions): Promise<number> {
  const shape = shapeFromFlags(opts);
  const problem = shapeProblem(shape, opts.type);
  if (problem) throw new InputError(problem);
  let fileBytes = 0;
  checkForgeTarget(opts.out, () => (fileBytes = forgedFileBytes(shape, opts.type)), { force: opts.force });

  const abort = new AbortController();
  let signalled: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    signalled = signal;
    abort.abort(new Error(`interrupted by ${signal}`));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.once(s, onSignal);
  const progress = createForgeProgress(fileBytes);
  const t0 = performance.now();
  try {
    const result = await forgeLlamaModelAsync({ file: opts.out, shape, type: opts.type, seed: opts.seed, signal: abort.signal, onProgress: progress.update });
    progress.stop();
    const seconds = (performance.now() - t0) / 1000;
    const s = shape;
    process.stdout.write(
      `Forged ${escapeTerminal(opts.out)}: ${formatParameters(result.parameters)} parameters (${formatCount(countParameters(s), 'en')}), ${opts.type.toUpperCase()}, ` +
        `${s.embd} wide, ${s.layers} layers, ${s.heads} head${s.heads === 1 ? '' : 's'} (${s.kvHeads} KV), feed-forward ${s.ff}, vocabulary ${formatCount(s.vocab, 'en')}, context ${formatCount(s.context, 'en')} tokens; ` +
        `${formatBytes(result.fileBytes, 'en')} in ${formatDuration(seconds * 1000, 'en', ' ')} (${formatNumber(result.fileBytes / 2 ** 20 / seconds, 'en')} MiB/s)\n`,
    );
    process.stdout.write(pc.dim(`${SYNTHETIC_NOTE}\n`));
    return ExitCode.ok;
  } catch (err) {
    progress.stop();
    if (signalled) {
      process.stderr.write(`forge interrupted by ${signalled}: nothing written to ${escapeTerminal(opts.out)}\n`);
      return signalExitCode(signalled);
    }
    throw err;
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}

/** A bar with bytes and MiB/s on a terminal; nothing elsewhere (the final line says it all). */
function createForgeProgress(total: number): { update: (done: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `Forging ${pc.cyan('{bar}')} {percentage}% · {done}/{all} MiB · {rate} MiB/s · ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const mib = (b: number) => formatNumber(b / 2 ** 20, 'en', { decimals: 0 });
  const t0 = performance.now();
  bar.start(total, 0, { done: '0', all: mib(total), rate: '–' });
  let stopped = false;
  return {
    update(done) {
      const seconds = (performance.now() - t0) / 1000;
      bar.update(done, { done: mib(done), all: mib(total), rate: seconds > 0 ? formatNumber(done / 2 ** 20 / seconds, 'en', { decimals: 0 }) : '–' });
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
