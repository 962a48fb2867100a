// The range of every numeric flag, in one place: the parsers check them, --help states them, the tests read them.
// Bounds are what makes sense for a benchmark, and always within what the code can honour (Node timers stop
// working above 2^31-1 ms, about 24.8 days: a duration beyond that would be accepted and silently ignored).

export interface FlagRange {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
  /** Unit shown in --help and errors, e.g. "s" or "tokens"; empty for plain counts. */
  unit: string;
}

const whole = (min: number, max: number, unit = ''): FlagRange => ({ min, max, integer: true, unit });
const decimal = (min: number, max: number, unit = ''): FlagRange => ({ min, max, integer: false, unit });

export const FLAG_RANGES = {
  threads: whole(1, 1024),
  reps: whole(1, 10_000),
  demoReps: whole(1, 1000),
  warmup: whole(0, 1000),
  context: whole(16, 1_048_576, 'tokens'),
  maxTokens: whole(1, 1_000_000, 'tokens'),
  seed: whole(0, 2 ** 31 - 1),
  gpuLayers: whole(0, 100_000),
  /** llama.cpp's logical batch (node-llama-cpp's batchSize); capped by the context size there. */
  batch: whole(1, 1_048_576, 'tokens'),
  /** One hour of idle baseline is already far more than a stable mean needs. */
  idleSeconds: decimal(0, 3600, 's'),
  sampleIntervalMs: whole(10, 60_000, 'ms'),
  /** Linux's pid_max ceiling. */
  serverPid: whole(1, 4_194_304),
  /** Seconds a server's stream may stay silent (prompt processing included) before it is declared stalled. */
  streamTimeout: decimal(0.1, 3600, 's'),
  powerIntervalMs: whole(100, 60_000, 'ms'),
  listLimit: whole(1, 1_000_000),
  port: whole(1, 65_535),
  /** Linux's largest pid (pid_max's ceiling, 2^22). */
  pid: whole(1, 4_194_304),
  /** The probe's largest forged model (f16 weights), bytes. */
  probeMaxBytes: whole(1e6, 1e12, 'bytes'),
  /** The probe's forged sizes: at least 3 (one is held out of the fit). */
  probeRungs: whole(3, 9),
  /** A monitor's length: at most what a Node timer honours (2^31-1 ms, about 24.8 days). */
  monitorDurationS: decimal(1, 2_000_000, 's'),
  // footprint's hypothetical request: generous bounds around every model and data centre published.
  footprintTokens: whole(0, 1_000_000_000, 'tokens'),
  /** Billions of parameters; the lower bound is exclusive (above 0). */
  footprintParamsB: decimal(0, 100_000, 'B'),
  pue: decimal(1, 3),
  wueLitresPerKwh: decimal(0, 50, 'L/kWh'),
  gridGPerKwh: decimal(0, 2000, 'gCO2e/kWh'),
  // forge's shape: from toy models to 26B parameters (the disk-space check bounds the rest).
  /** Parameters, read as "25M", "1.5B" (shown as such): where shapeForParameters finds llama-family shapes. */
  forgeParams: decimal(5e6, 26e9, 'parameters'),
  forgeLayers: whole(1, 512),
  forgeEmbd: whole(8, 65_536),
  forgeHeads: whole(1, 1024),
  forgeFf: whole(8, 262_144),
  /** At least the 3 special and 256 byte tokens of the built-in tokenizer, and a few pieces. */
  forgeVocab: whole(300, 1_000_000, 'tokens'),
  forgeContext: whole(16, 1_048_576, 'tokens'),
} as const satisfies Record<string, FlagRange>;

/** "1 to 1024", "0 to 3600 s": how --help and the errors state a range. */
export function describeRange(range: FlagRange): string {
  const n = (v: number) => (v >= 10_000 ? v.toLocaleString('en-US') : String(v));
  return `${n(range.min)} to ${n(range.max)}${range.unit ? ` ${range.unit}` : ''}`;
}
