// The numeric flags of `wattbench run` (and the --reps of `demo`), each with its range from flagRanges.ts, checked
// while commander parses (exit 2, one line, before any file is read) and stated in --help.
import { Option } from 'commander';
import { MIN_AUTO_CONTEXT, RUN_DEFAULTS } from '../../lib/runner/runDefaults';
import { FLAG_RANGES, describeRange, type FlagRange } from './flagRanges';
import { gpuLayersOption as parseGpuLayers, listOption, rangeOption } from './parseOptions';

/** An Option whose help states its range ("…, 1 to 1024 (note)"), parsed against that range. */
function ranged(flags: string, description: string, range: FlagRange, note?: string): Option {
  return new Option(flags, `${description}, ${describeRange(range)}${note ? ` (${note})` : ''}`).argParser(rangeOption(range));
}

/** A sweep flag: a comma list of values of `range` ("1,2,4"), each checked; every combination is one run. */
function rangedList(flags: string, description: string, range: FlagRange, note?: string): Option {
  return new Option(flags, `${description}, ${describeRange(range)}; a comma list sweeps${note ? ` (${note})` : ''}`).argParser(listOption(rangeOption(range)));
}

export function threadsOption(): Option {
  return rangedList('-t, --threads <n[,n…]>', 'CPU threads for llama.cpp, prompts and generation alike', FLAG_RANGES.threads, 'default: the fastest counts for each, calibrated once per machine, build and model size');
}

export function batchOption(): Option {
  return rangedList('--batch <tokens[,tokens…]>', "llama.cpp's batch size (tokens evaluated per decode)", FLAG_RANGES.batch, "default: node-llama-cpp's, capped by the context");
}

export function repsOption(defaultReps: number = RUN_DEFAULTS.reps, range: FlagRange = FLAG_RANGES.reps): Option {
  return ranged('-r, --reps <n>', 'measured repetitions per prompt', range).default(defaultReps);
}

export function warmupOption(): Option {
  return ranged('-w, --warmup <n>', 'unmeasured warm-up runs per prompt', FLAG_RANGES.warmup).default(RUN_DEFAULTS.warmup);
}

export function contextOption(): Option {
  return rangedList(
    '-c, --context <tokens[,tokens…]>',
    'context size',
    FLAG_RANGES.context,
    `default: the smallest power of two >= ${MIN_AUTO_CONTEXT} that holds the suite's longest prompt and its answer, within the model's training context`,
  );
}

export function maxTokensOption(): Option {
  return ranged('--max-tokens <n>', "cap on every prompt's output tokens", FLAG_RANGES.maxTokens);
}

export function seedOption(): Option {
  return ranged('--seed <n>', 'sampling seed', FLAG_RANGES.seed, "default: the suite's");
}

export function gpuLayersOption(): Option {
  return new Option('--gpu-layers <n|auto|max[,…]>', `layers offloaded to the GPU: auto, max, or ${describeRange(FLAG_RANGES.gpuLayers)}; a comma list sweeps`)
    .argParser(listOption(parseGpuLayers))
    .default([RUN_DEFAULTS.gpuLayers], RUN_DEFAULTS.gpuLayers);
}

export function idleSecondsOption(): Option {
  return ranged('--idle-seconds <s>', 'seconds of idle power measured before the first prompt', FLAG_RANGES.idleSeconds).default(RUN_DEFAULTS.idleSeconds);
}

export function sampleIntervalOption(): Option {
  return ranged('--sample-interval-ms <ms>', 'sampler interval', FLAG_RANGES.sampleIntervalMs).default(RUN_DEFAULTS.sampleIntervalMs).hideHelp();
}

export function serverPidOption(): Option {
  return ranged('--server-pid <pid>', "with --endpoint: the server's process, whose CPU time the estimate attributes to the run", FLAG_RANGES.serverPid, 'default: the process listening on the endpoint\'s port, on Linux');
}

export function streamTimeoutOption(): Option {
  return ranged('--stream-timeout <s>', "with --endpoint: seconds a server's reply may stay silent before it counts as stalled", FLAG_RANGES.streamTimeout).default(30);
}
