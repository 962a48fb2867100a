// The database schema: one source of truth for the CLI, the dashboard and the migrations.
// camelCase keys map to snake_case columns; JSON columns hold the structured parts of a record.
import { sqliteTable, integer, text, real, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { EnergyBasis, PromptFormat, RunKind, RunStatus, Windowing } from '../domain/types';
import {
  gpusSchema,
  machineProfileFitSchema,
  powerReadingsSchema,
  runIdsSchema,
  runSettingsSchema,
  runSummarySchema,
  runtimeInfoSchema,
  serverTimingsSchema,
  threadCalibrationMeasurementsSchema,
} from '../domain/jsonColumns';
import { jsonColumn } from './jsonColumn';
import { suiteSchema } from '../suites/suiteSchema';
import { workshopModelsSchema } from '../workshop/workshopModels';

/** A machine as seen by a run (one row per distinct fingerprint). */
export const hardware = sqliteTable(
  'hardware',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** sha256 of the stable facts below, so a machine is recognised across runs. */
    fingerprint: text('fingerprint').notNull(),
    hostname: text('hostname').notNull(),
    cpuModel: text('cpu_model').notNull(),
    /** Physical cores. */
    cpuCores: integer('cpu_cores').notNull(),
    /** Logical CPUs (hardware threads). */
    cpuThreads: integer('cpu_threads').notNull(),
    memoryBytes: integer('memory_bytes').notNull(),
    /** JSON: GpuInfo[] */
    gpus: jsonColumn('hardware', 'gpus', gpusSchema).notNull(),
    os: text('os').notNull(),
    arch: text('arch').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('hardware_fingerprint_idx').on(t.fingerprint)],
);

/** A GGUF model file, identified by its sha256. */
export const models = sqliteTable(
  'models',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sha256: text('sha256').notNull(),
    fileName: text('file_name').notNull(),
    name: text('name'),
    sizeBytes: integer('size_bytes').notNull(),
    architecture: text('architecture'),
    parameters: integer('parameters'),
    /** Quantisation / tensor type, e.g. "Q4_K_M", "F16", "F32". */
    type: text('type'),
    contextLength: integer('context_length'),
    hasChatTemplate: integer('has_chat_template', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('models_sha256_idx').on(t.sha256)],
);

/** One benchmark run: a model × a suite × settings on one machine. */
export const runs = sqliteTable(
  'runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    status: text('status').$type<RunStatus>().notNull(),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id),
    hardwareId: integer('hardware_id')
      .notNull()
      .references(() => hardware.id),
    suite: text('suite').notNull(),
    label: text('label'),
    threads: integer('threads').notNull(),
    reps: integer('reps').notNull(),
    warmup: integer('warmup').notNull(),
    contextSize: integer('context_size').notNull(),
    maxTokens: integer('max_tokens'),
    seed: integer('seed').notNull(),
    /** "chat" when the model's chat template was applied, "completion" otherwise. */
    promptFormat: text('prompt_format').$type<PromptFormat>().notNull(),
    /** JSON: every setting as given and resolved (RunSettings). */
    settings: jsonColumn('runs', 'settings', runSettingsSchema).notNull(),
    /** JSON: node-llama-cpp version, llama.cpp build, backend, GPU layers (RuntimeInfo). */
    runtime: jsonColumn('runs', 'runtime', runtimeInfoSchema).notNull(),
    /** Process that runs it, to recognise a run orphaned by a crash. */
    pid: integer('pid').notNull(),
    /** The process start time from /proc/<pid>/stat (clock ticks since boot), guards against pid reuse. */
    pidStartTicks: text('pid_start_ticks'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    loadMs: real('load_ms'),
    peakRssBytes: integer('peak_rss_bytes'),
    error: text('error'),
    /** Promoted from the summary so that lists sort and filter without parsing JSON. */
    genTokensPerSec: real('gen_tokens_per_sec'),
    ttftMs: real('ttft_ms'),
    /** Gross joules per output token over the whole run (null: not measured). */
    joulesPerToken: real('joules_per_token'),
    totalJ: real('total_j'),
    /** Label of the energy figure, e.g. "estimate" or "rapl"; null when no energy was recorded. */
    energySource: text('energy_source'),
    outputTokens: integer('output_tokens'),
    /** What the energy total is made of: measured (sensors), estimate, mixed, or none. */
    energyBasis: text('energy_basis').$type<EnergyBasis>(),
    /** The llama.cpp binary the run used: "local-build" (wattbench setup) or "prebuilt" (from npm). */
    engine: text('engine'),
    /** JSON: the run's statistics and energy (RunSummaryJson), written when the run ends. */
    summary: jsonColumn('runs', 'summary', runSummarySchema),
    /** The sweep this run belongs to (one `wattbench run` with comma lists); null for a single run. */
    sweepId: text('sweep_id'),
    /** The run's combination in its sweep, 1-based, in the order they ran; null for a single run. */
    sweepIndex: integer('sweep_index'),
    /** The server's URL for a server run (`run --endpoint`; the details in runtime.server); null for a GGUF run. */
    endpoint: text('endpoint'),
    /**
     * What the run is: null for a benchmark (every run before this column), "monitor" for `wattbench monitor`
     * (power and one process's CPU and memory over time: no model, no prompts; what it watched in settings.monitor).
     */
    kind: text('kind').$type<RunKind>(),
  },
  (t) => [
    index('runs_status_idx').on(t.status),
    index('runs_sweep_idx').on(t.sweepId, t.sweepIndex),
    index('runs_model_idx').on(t.modelId),
    // Covers the Machines page's per-machine counts and latest run without reading the wide run rows.
    index('runs_hardware_status_started_idx').on(t.hardwareId, t.status, t.startedAt),
    index('runs_started_idx').on(t.startedAt),
  ],
);

/** One measured repetition of one prompt (warm-ups are not stored). */
export const results = sqliteTable(
  'results',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    promptId: text('prompt_id').notNull(),
    promptIndex: integer('prompt_index').notNull(),
    rep: integer('rep').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    ttftMs: real('ttft_ms').notNull(),
    promptTokensPerSec: real('prompt_tokens_per_sec').notNull(),
    genTokensPerSec: real('gen_tokens_per_sec'),
    interTokenP50Ms: real('inter_token_p50_ms'),
    interTokenP95Ms: real('inter_token_p95_ms'),
    e2eMs: real('e2e_ms').notNull(),
    stopReason: text('stop_reason').notNull(),
    /** Epoch ms; marks prompt boundaries on time series. */
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at').notNull(),
    /** The generated text (shown as text, never as HTML). */
    output: text('output').notNull(),
    /** Gross joules over this repetition, all sources summed (null: not measured). */
    energyJ: real('energy_j'),
    /** Epoch ms of the first generated token: the end of prompt processing (null: no token). */
    firstTokenAt: integer('first_token_at'),
    /** Joules of prompt processing, (startedAt, firstTokenAt] (null: not measured). */
    prefillJ: real('prefill_j'),
    /** Joules of generation after the first token, (firstTokenAt, endedAt] (null: not measured). */
    decodeJ: real('decode_j'),
    /** The answer graded against the prompt's `expect` (1 right, 0 wrong; null: the prompt has no expect). */
    correct: integer('correct', { mode: 'boolean' }),
    /** JSON: the server's own timings for this repetition (ServerTimings); null for GGUF runs and servers without. */
    serverTimings: jsonColumn('results', 'server_timings', serverTimingsSchema),
  },
  (t) => [index('results_run_idx').on(t.runId)],
);

/** Time series sampled during a run (10 Hz by default). */
export const samples = sqliteTable(
  'samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** Epoch ms. */
    t: integer('t').notNull(),
    /** "idle" (baseline), "load", "warmup" or "measure". */
    phase: text('phase').notNull(),
    /** Index of the prompt being run, null outside prompts. */
    promptIndex: integer('prompt_index'),
    /** Whole-machine CPU utilisation, 0–100 %. */
    cpuPercent: real('cpu_percent'),
    /** This process's own CPU time over the interval (a server run: plus its server's processes), as a share of the machine's capacity, 0–100 %. */
    processCpuPercent: real('process_cpu_percent'),
    /** This process's resident set size. */
    rssBytes: integer('rss_bytes'),
    /** System memory in use (MemTotal − MemAvailable). */
    memUsedBytes: integer('mem_used_bytes'),
    /** Output tokens generated so far in this run (measured repetitions and warm-ups). */
    tokensGenerated: integer('tokens_generated'),
    /** Sum of the power of all non-overlapping domains, watts (null: no power source). */
    powerW: real('power_w'),
    /** JSON: PowerReading[] per source and domain. */
    power: jsonColumn('samples', 'power', powerReadingsSchema),
  },
  (t) => [index('samples_run_t_idx').on(t.runId, t.t)],
);

/**
 * A run's chart series, downsampled once at run end (`storeRunSeries`) so the run page reads one row instead of
 * every sample. Only for runs with more samples than the budget; `getRunSeries` recomputes when it is absent
 * or stale (sample count changed).
 */
export const runSeries = sqliteTable('run_series', {
  runId: integer('run_id')
    .primaryKey()
    .references(() => runs.id, { onDelete: 'cascade' }),
  /** Points per series at most. */
  maxPoints: integer('max_points').notNull(),
  /** Samples of the run when the series was computed. */
  sampleCount: integer('sample_count').notNull(),
  /** JSON: RunSeries (lib/series/runSeries.ts). */
  series: text('series').notNull(),
});

/**
 * Energy per source and domain, for one measured repetition, or for the run (resultId null): the run rows
 * cover the measured repetitions only (not idle, load or warm-ups), so joules per token divide like with like.
 */
export const energy = sqliteTable(
  'energy',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    resultId: integer('result_id').references(() => results.id, { onDelete: 'cascade' }),
    /** rapl | nvidia | amdgpu | apple | battery | estimate */
    source: text('source').notNull(),
    /** Domain name as the source reports it, e.g. "package-0", "dram", "gpu0". */
    domain: text('domain').notNull(),
    /** cpu-package | cpu-cores | dram | gpu-board | system */
    boundary: text('boundary').notNull(),
    /** counter | integrated-power | modelled */
    method: text('method').notNull(),
    joules: real('joules').notNull(),
    /** Joules above the idle baseline (null when no baseline was measured). */
    netJoules: real('net_joules'),
    meanW: real('mean_w'),
    peakW: real('peak_w'),
    idleW: real('idle_w'),
    /**
     * False for a domain contained in another row (RAPL core/dram inside their package): shown, never added.
     * A run's total is the sum of the rows where this is true.
     */
    countsTowardTotal: integer('counts_toward_total', { mode: 'boolean' }).notNull().default(true),
    /** True when the source failed during the interval: the figure covers only part of it. */
    partial: integer('partial', { mode: 'boolean' }).notNull(),
    /** Why it is partial, or which model produced an estimate (said in words; the model itself is estimateModel). */
    note: text('note'),
    /** The model that produced a modelled figure, e.g. "CodeCarbon CPU-load model (TDP 65 W)"; null when measured. */
    estimateModel: text('estimate_model'),
    /** Joules of prompt processing and of generation after the first token (null: not split). */
    prefillJoules: real('prefill_joules'),
    decodeJoules: real('decode_joules'),
    /**
     * How window edges were read: "edges" (a counter read at each window boundary) or "pro-rata"
     * (readings at the sampling interval, shared by time across a window edge).
     */
    windowing: text('windowing').$type<Windowing>(),
  },
  (t) => [index('energy_run_idx').on(t.runId)],
);

/**
 * Thread-count calibrations, cached per machine, llama.cpp build and model size class: the fastest thread
 * count for prompt processing and for generation, measured with short runs when --threads is not given.
 */
export const threadCalibrations = sqliteTable(
  'thread_calibrations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** hardware.fingerprint of the machine. */
    hardwareFingerprint: text('hardware_fingerprint').notNull(),
    /** The llama.cpp binary: engine, backend and release, e.g. "local-build/cpu/b6123". */
    buildId: text('build_id').notNull(),
    /** Model size class, e.g. "100M-300M" (weights bytes, log scale). */
    sizeClass: text('size_class').notNull(),
    promptThreads: integer('prompt_threads').notNull(),
    genThreads: integer('gen_threads').notNull(),
    /** JSON: tokens/s per thread count tried, for prompt processing and generation. */
    measurements: jsonColumn('thread_calibrations', 'measurements', threadCalibrationMeasurementsSchema).notNull(),
    /** The model the calibration ran on (file name). */
    modelFile: text('model_file').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('thread_calibrations_key_idx').on(t.hardwareFingerprint, t.buildId, t.sizeClass)],
);

/**
 * A machine's speed and power profile (`wattbench probe`): fitted on its completed runs (the probe's forged
 * ladder and every other run whose model size is known), with the error of predicting a held-out size.
 */
export const machineProfiles = sqliteTable(
  'machine_profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hardwareId: integer('hardware_id')
      .notNull()
      .references(() => hardware.id),
    createdAt: integer('created_at').notNull(),
    /** JSON: MachineProfileFit (bandwidth, prompt throughput, watts, the points and the held-out check). */
    fit: jsonColumn('machine_profiles', 'fit', machineProfileFitSchema).notNull(),
    /** JSON: the ids of the runs the fit used. */
    runIds: jsonColumn('machine_profiles', 'run_ids', runIdsSchema).notNull(),
    /** Relative error of the held-out size's generation and prompt tokens/s (null: no size held out). */
    heldOutGenError: real('held_out_gen_error'),
    heldOutPromptError: real('held_out_prompt_error'),
  },
  (t) => [index('machine_profiles_hardware_idx').on(t.hardwareId, t.createdAt)],
);

// --- Workshop (issue 10): the leader's side. A workshop, the runs uploaded to it, its participants' progress. ---

/** One workshop session in a room: its join code, suite, the model files served, and the upload token's hash. */
export const workshops = sqliteTable(
  'workshops',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 6 characters from ABCDEFGHJKLMNPQRSTUVWXYZ23456789 (lib/workshop/joinCode.ts). */
    code: text('code').notNull(),
    name: text('name').notNull(),
    suiteName: text('suite_name').notNull(),
    /** JSON: the suite as served to participants (Suite). */
    suite: jsonColumn('workshops', 'suite', suiteSchema).notNull(),
    /** JSON: the model files served (file name, sha256, bytes, the leader-side path). */
    models: jsonColumn('workshops', 'models', workshopModelsSchema).notNull(),
    /** sha256 hex of the secret upload token; the token itself is never stored. */
    tokenSha256: text('token_sha256').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('workshops_code_idx').on(t.code)],
);

/** A run uploaded to a workshop: the `runs` row it became, who sent it, and its idempotency key. */
export const workshopRuns = sqliteTable(
  'workshop_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workshopId: integer('workshop_id')
      .notNull()
      .references(() => workshops.id, { onDelete: 'cascade' }),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** sha256(clientId + ':' + localRunId + ':' + startedAtMs) hex: the same run uploaded twice is stored once. */
    uploadKey: text('upload_key').notNull(),
    clientId: text('client_id').notNull(),
    nickname: text('nickname').notNull(),
    uploadedAt: integer('uploaded_at').notNull(),
  },
  (t) => [uniqueIndex('workshop_runs_upload_key_idx').on(t.uploadKey), index('workshop_runs_workshop_idx').on(t.workshopId)],
);

/** A participant machine's latest progress in a workshop (one row per machine, replaced by each report). */
export const workshopParticipants = sqliteTable(
  'workshop_participants',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workshopId: integer('workshop_id')
      .notNull()
      .references(() => workshops.id, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull(),
    nickname: text('nickname').notNull(),
    /** joined | downloading | running | publishing | done | failed */
    phase: text('phase').notNull(),
    done: integer('done'),
    total: integer('total'),
    detail: text('detail'),
    joinedAt: integer('joined_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('workshop_participants_client_idx').on(t.workshopId, t.clientId)],
);

export type HardwareRow = typeof hardware.$inferSelect;
export type ModelRow = typeof models.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type ResultRow = typeof results.$inferSelect;
export type SampleRow = typeof samples.$inferSelect;
export type EnergyRow = typeof energy.$inferSelect;
export type ThreadCalibrationRow = typeof threadCalibrations.$inferSelect;
export type MachineProfileRow = typeof machineProfiles.$inferSelect;
export type WorkshopRow = typeof workshops.$inferSelect;
export type WorkshopRunRow = typeof workshopRuns.$inferSelect;
export type WorkshopParticipantRow = typeof workshopParticipants.$inferSelect;
