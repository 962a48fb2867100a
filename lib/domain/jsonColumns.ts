// The JSON columns' shapes as zod schemas: each schema is the type (z.infer), and every read of a column goes
// through it once (lib/db/jsonColumn.ts), so a stored value that does not match fails loudly instead of being cast.
// Fields that older runs did not write are optional; objects stay open (z.looseObject) so a field added later by
// the runner is kept, not dropped.
import { z } from 'zod';
import { expectSchema } from '../quality/expectSchema';
import { ENERGY_BASES, type GpuInfo, type PowerReadingRow, type ThreadCalibrationMeasurement } from './types';

export const gpusSchema: z.ZodType<GpuInfo[]> = z.array(z.object({ name: z.string(), vendor: z.string(), memoryBytes: z.number().optional() }));

export const threadCalibrationMeasurementsSchema: z.ZodType<ThreadCalibrationMeasurement[]> = z.array(
  z.object({ threads: z.number(), promptTokensPerSec: z.number(), genTokensPerSec: z.number() }),
);

/** `samples.power`: one reading per source and domain at one sample. */
export const powerReadingsSchema: z.ZodType<PowerReadingRow[]> = z.array(
  z.object({
    source: z.string(),
    domain: z.string(),
    boundary: z.string(),
    method: z.string(),
    watts: z.number(),
    joules: z.number().optional(),
    intervalMs: z.number().optional(),
    countsTowardTotal: z.boolean().optional(),
    model: z.string().optional(),
  }),
);

const threadChoiceSchema = z.object({
  prompt: z.number(),
  gen: z.number(),
  origin: z.enum(['flag', 'calibrated', 'cached', 'default']),
  reason: z.string(),
  measurements: threadCalibrationMeasurementsSchema.nullable(),
  sizeClass: z.string().nullable(),
  calibratedAt: z.number().nullable(),
});

/** `runs.settings.monitor`: what a monitor run (`runs.kind` "monitor") watched. */
export const monitorSettingsSchema = z.looseObject({
  /** One pid (--pid), every process of a name (--process), or the whole machine. */
  target: z.enum(['pid', 'process', 'machine']),
  /** --process NAME, or the watched pid's command name; null for the machine. */
  name: z.string().nullable(),
  /** The processes watched at the start, their CPU time and RSS summed. */
  processes: z.array(z.object({ pid: z.number(), name: z.string() })),
  /** --duration, s; null: until a signal or the process exits. */
  durationS: z.number().nullable(),
});
export type MonitorSettings = z.infer<typeof monitorSettingsSchema>;

/**
 * `runs.runtime.monitorRequests`: the requests a watched server served during a monitor run, read from what the
 * server itself exposes (lib/monitor/requestCounter), or why they were not counted. Rewritten as the counts grow.
 */
export const monitorRequestsSchema = z.looseObject({
  /** The server's base URL; null when the watched processes are not a known server. */
  endpoint: z.string().nullable(),
  /** "llama-server", "ollama", "openai-compatible"; null when no server was found. */
  kind: z.string().nullable(),
  version: z.string().nullable(),
  /** How it was found: --endpoint, or a port the watched processes listen on. */
  origin: z.enum(['flag', 'port']).nullable(),
  /** What the requests were counted from ("llama-server GET /slots"…); null: not counted. */
  method: z.string().nullable(),
  /** true: a cumulative counter of the server; false: state polled every pollIntervalMs, which misses a request that starts and ends between two polls on the same slot or model (the count is then a lower bound). */
  exact: z.boolean(),
  pollIntervalMs: z.number(),
  /** Requests served in the window; null: not counted (see notCounted). */
  requests: z.number().nullable(),
  /** Tokens the server reports for the window (null: it reports none), and from what. */
  promptTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  tokensMethod: z.string().nullable(),
  /** Why requests are not counted, and the fix, in English; null when they are. */
  notCounted: z.string().nullable(),
  /** The same as data, for the pages' languages (lib/monitor/notCountedReason). */
  notCountedCode: z.string().nullable().optional(),
  notCountedParams: z.record(z.string(), z.string()).nullable().optional(),
  polls: z.number(),
  failedPolls: z.number(),
  lastError: z.string().nullable(),
});
export type MonitorRequests = z.infer<typeof monitorRequestsSchema>;

/** `runs.settings`: every setting as given and resolved (lib/runner/runBenchmark writes it). */
export const runSettingsSchema = z.looseObject({
  threads: z.number().optional(),
  /** node-llama-cpp's flashAttention option ("auto": llama.cpp enables it where the device supports it); absent before it was set: off. */
  flashAttention: z.union([z.literal('auto'), z.boolean()]).optional(),
  promptThreads: z.number().optional(),
  threadChoice: threadChoiceSchema.optional(),
  reps: z.number().optional(),
  warmup: z.number().optional(),
  contextSize: z.number().optional(),
  maxTokens: z.number().nullable().optional(),
  seed: z.number().optional(),
  label: z.string().optional(),
  idleSeconds: z.number().optional(),
  sampleIntervalMs: z.number().optional(),
  gpuLayers: z.union([z.literal('auto'), z.literal('max'), z.number()]).optional(),
  power: z.string().optional(),
  promptFormat: z.string().optional(),
  /** llama.cpp's batch size the context used, tokens (older runs: not recorded). */
  batchSize: z.number().optional(),
  /** The weights were kept loaded from an earlier run of the same sweep (loadMs: when they were loaded). */
  modelReused: z.boolean().optional(),
  model: z.string().optional(),
  /** The file the run loaded (an Ollama model's blob); absent in older runs. */
  modelPath: z.string().optional(),
  suite: z.string().optional(),
  suiteOrigin: z.string().optional(),
  suiteVersion: z.union([z.string(), z.number()]).optional(),
  temperature: z.number().optional(),
  chatWrapper: z.string().nullable().optional(),
  /** The suite's prompts as prepared; older runs may record only a count. */
  prompts: z.union([z.array(z.looseObject({ id: z.string(), title: z.string(), lang: z.string().optional(), expect: expectSchema.optional() })), z.number()]).optional(),
  promptCount: z.number().optional(),
  /** A monitor run's target (absent on benchmarks). */
  monitor: monitorSettingsSchema.optional(),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** The llama.cpp binary a run used (lib/engine/describeEngine). */
export const engineInfoSchema = z.object({
  kind: z.enum(['local-build', 'prebuilt']),
  backend: z.string(),
  llamaCppRelease: z.string(),
  llamaCppRepo: z.string(),
  instructionSets: z.array(z.string()),
  openmp: z.boolean(),
  missingInstructionSets: z.array(z.string()),
  systemInfo: z.string(),
  /** Absent on runs before the native generation loop (they all used node-llama-cpp's). */
  generationLoop: z.object({ kind: z.enum(['native', 'node-llama-cpp']), reason: z.string().nullable() }).optional(),
  /** Absent on runs before it was recorded (they ran with libuv's default pool of 4). */
  computeThreads: z.number().int().positive().optional(),
  buildId: z.string(),
});

/**
 * The server a server run benchmarked (`wattbench run --endpoint`): its API, what it says it is, the model as it
 * reports it, where it runs, and the request settings sent with every prompt (lib/endpoint).
 */
export const serverInfoSchema = z.looseObject({
  endpoint: z.string(),
  api: z.enum(['openai', 'ollama']),
  /** "llama-server", "ollama", or "openai-compatible" (LM Studio, vLLM… anything else speaking /v1). */
  kind: z.string(),
  version: z.string().nullable(),
  /** The model name sent, and the server's own description of it (/v1/models entry, /api/tags details, /props). */
  model: z.string(),
  modelInfo: z.record(z.string(), z.unknown()).nullable(),
  /** "local": served by this machine (loopback or one of its addresses); "remote": another host, whose energy this machine cannot measure. */
  location: z.enum(['local', 'remote']),
  /** Server processes whose CPU time the estimate attributes to the run (local only), and how they were found. */
  pids: z.array(z.number()),
  pidOrigin: z.enum(['flag', 'port', 'none']),
  /** The sampling settings sent with every request. */
  request: z.looseObject({ temperature: z.number(), seed: z.number(), maxTokensCap: z.number().nullable() }),
  /** Seconds without a chunk after which a stream is declared stalled. */
  streamIdleTimeoutS: z.number(),
});
export type ServerInfo = z.infer<typeof serverInfoSchema>;

/**
 * `results.server_timings`: the server's own figures for one repetition (llama-server's `timings`, Ollama's
 * durations), normalised to ms, with the object as sent.
 */
export const serverTimingsSchema = z.object({
  source: z.enum(['llama-server', 'ollama']),
  promptTokens: z.number().nullable(),
  promptMs: z.number().nullable(),
  genTokens: z.number().nullable(),
  genMs: z.number().nullable(),
  /** Ollama's load_duration (a model loaded for this request), ms. */
  loadMs: z.number().nullable(),
  /** Prompt tokens the server reused from its cache (llama-server's cache_n). */
  cachedTokens: z.number().nullable(),
  raw: z.record(z.string(), z.unknown()),
});
export type ServerTimings = z.infer<typeof serverTimingsSchema>;

/** `runs.runtime`: node-llama-cpp and llama.cpp versions, backend, GPU layers, the binary. */
export const runtimeInfoSchema = z.looseObject({
  nodeLlamaCppVersion: z.string().optional(),
  llamaCppRelease: z.string().optional(),
  llamaCppRepo: z.string().optional(),
  buildType: z.string().optional(),
  backend: z.string().optional(),
  engine: engineInfoSchema.optional(),
  gpuLayers: z.number().optional(),
  nodeVersion: z.string().optional(),
  systemInfo: z.string().optional(),
  powerSources: z.array(z.looseObject({ id: z.string(), label: z.string() })).optional(),
  /** Present on server runs only: the server benchmarked. */
  server: serverInfoSchema.optional(),
  /** Present on monitor runs (since per-request energy): the watched server's requests. */
  monitorRequests: monitorRequestsSchema.optional(),
});
export type RuntimeInfo = z.infer<typeof runtimeInfoSchema>;

/** mean ± σ, median, min … max and n (lib/stats/summarize). */
export const metricSummarySchema = z.object({
  mean: z.number(),
  sd: z.number(),
  median: z.number(),
  min: z.number(),
  max: z.number(),
  n: z.number(),
});

const metric = metricSummarySchema.nullable().default(null);
/** Per-metric statistics; a metric absent from an older summary was not measured. */
export const runMetricsSchema = z.object({
  ttftMs: metric,
  promptTokensPerSec: metric,
  genTokensPerSec: metric,
  interTokenMs: metric,
  e2eMs: metric,
});

export const promptSummarySchema = z.object({
  promptId: z.string(),
  promptIndex: z.number(),
  title: z.string(),
  metrics: runMetricsSchema,
  promptTokens: z.number(),
  outputTokens: metricSummarySchema.nullable(),
  energyJ: metricSummarySchema.nullable(),
});

/** A figure older runs did not record reads as null (not measured), like one recorded as null. */
const nullableNumber = z.number().nullable().default(null);

/** The `energy` object of `--json` and of the stored summary (lib/energy/energyJson builds it). */
export const energyJsonSchema = z.object({
  totalJ: z.number(),
  netJ: nullableNumber,
  idleW: nullableNumber,
  meanW: z.number(),
  joulesPerToken: nullableNumber,
  whPer1kTokens: nullableNumber,
  prefillJ: nullableNumber,
  decodeJ: nullableNumber,
  prefillJPerPromptToken: nullableNumber,
  decodeJPerToken: nullableNumber,
  promptTokens: nullableNumber,
  decodeTokens: nullableNumber,
  cpuLoad: z.object({ machinePercent: z.number(), processPercent: z.number(), othersPercent: z.number(), coveredMs: z.number() }).nullable().default(null),
  othersLoadWarning: z
    .object({
      othersPercent: z.number(),
      thresholdPercent: z.number(),
      includedBy: z.array(z.string()),
      estimateAttributed: z.boolean(),
      message: z.string(),
    })
    .nullable()
    .default(null),
  sources: z.array(
    z.object({
      source: z.string(),
      boundary: z.string(),
      method: z.string(),
      joules: z.number(),
      domain: z.string(),
      label: z.string(),
      countsTowardTotal: z.boolean(),
      netJoules: nullableNumber,
      meanW: z.number(),
      peakW: z.number(),
      partial: z.boolean(),
      note: z.string().nullable(),
      /** Absent in runs written before repetition edges were read. */
      windowing: z.string().optional(),
      prefillJoules: nullableNumber,
      decodeJoules: nullableNumber,
      /** The estimate's model for a modelled figure (absent in runs written before it was recorded). */
      estimateModel: z.string().nullable().optional(),
    }),
  ),
  peakW: z.number(),
  durationMs: z.number(),
  partial: z.boolean(),
  basis: z.enum(ENERGY_BASES),
});
export type EnergyJson = z.infer<typeof energyJsonSchema>;

/** `runs.summary`: the run's statistics and energy, written when the run ends (lib/runner/summarizeRun). */
export const runSummarySchema = z.object({
  metrics: runMetricsSchema,
  prompts: z.array(promptSummarySchema),
  totalOutputTokens: z.number(),
  totalPromptTokens: z.number(),
  /** Null when no power source ran. */
  energy: energyJsonSchema.nullable().default(null),
});
export type RunSummaryJson = z.infer<typeof runSummarySchema>;

/** One run behind a machine profile: the model's size, the speeds measured and the mean power at each load. */
export const profilePointSchema = z.object({
  runId: z.number(),
  /** "probe": a forged model benchmarked by `wattbench probe`; "run": any other completed run on this machine. */
  origin: z.enum(['probe', 'run']),
  modelId: z.number(),
  modelLabel: z.string(),
  modelBytes: z.number(),
  parameters: z.number(),
  /** The fit's regressors (lib/advise/modelCost.ts): weights read per generated token, FLOPs per prompt token. */
  bytesPerToken: z.number(),
  flopsPerPromptToken: z.number(),
  genTokensPerSec: z.number(),
  promptTokensPerSec: z.number(),
  /** Weight in the least-squares fits (see lib/advise/fitProfile.ts). */
  weight: z.number(),
  /** Mean power over prompt processing and over generation, W (null: no energy recorded). */
  prefillW: z.number().nullable(),
  decodeW: z.number().nullable(),
});
export type ProfilePoint = z.infer<typeof profilePointSchema>;

const linearFitSchema = z.object({
  /** Seconds per token at zero size. */
  interceptS: z.number(),
  /** Seconds per token per unit of the regressor (byte read, or FLOP). */
  slopeS: z.number(),
  /** Root mean square of the relative residuals of the points fitted (0.05 = 5 %). */
  residualRel: z.number(),
  points: z.number(),
});

/** Mean power at one load, with what it measures: never an estimate shown as a measurement. */
const wattsFitSchema = z.object({
  meanW: z.number(),
  sdW: z.number(),
  points: z.number(),
  /** The energy source(s) and boundary(ies) of the runs' counted rows, e.g. "estimate · cpu-package". */
  sources: z.array(z.object({ source: z.string(), boundary: z.string(), method: z.string(), estimateModel: z.string().nullable() })),
  basis: z.enum(ENERGY_BASES),
});

/** `machine_profiles.fit`: the machine's speed and power model, fitted on its runs. */
export const machineProfileFitSchema = z.object({
  version: z.literal(1),
  /** The CPU threads the probe ran at; only runs at that count are fitted (absent: every run). */
  threads: z.number().optional(),
  /** Generation: seconds per token = intercept + bytes read per token (the weights, less an untied input embedding) / bandwidth. */
  generation: linearFitSchema.extend({ bandwidthBytesPerSec: z.number() }),
  /** Prompt processing: seconds per prompt token = intercept + 2 · per-token parameters (FLOPs) / throughput. */
  prompt: linearFitSchema.extend({ flopsPerSec: z.number() }),
  prefillWatts: wattsFitSchema.nullable(),
  decodeWatts: wattsFitSchema.nullable(),
  /** The forged size left out of the fit, and the relative error of predicting it (0.1 = 10 %). */
  heldOut: z
    .object({
      runId: z.number(),
      modelLabel: z.string(),
      modelBytes: z.number(),
      genError: z.number(),
      promptError: z.number(),
      predictedGenTokensPerSec: z.number(),
      measuredGenTokensPerSec: z.number(),
      predictedPromptTokensPerSec: z.number(),
      measuredPromptTokensPerSec: z.number(),
    })
    .nullable(),
  /** The range of bytes per token the fit saw: predictions outside it are extrapolations, with wider bands. */
  bytesRange: z.tuple([z.number(), z.number()]),
  points: z.array(profilePointSchema),
});
export type MachineProfileFit = z.infer<typeof machineProfileFitSchema>;

export const runIdsSchema = z.array(z.number());
