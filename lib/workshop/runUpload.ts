// The run upload of a workshop (format version 1): what a participant's machine sends the leader's dashboard.
// It carries a completed run's stored rows as the read layer gives them (run, model facts, machine facts,
// results, energy rows per run and per repetition, min/max-downsampled samples), so that the leader's copy,
// read back through getRunRecord, has the same figures and the same labels: source, boundary, method, the
// estimate's model, measured or estimated. The schema refuses an upload whose stated energy basis disagrees
// with its own energy rows, so an estimate can never arrive labelled as a measurement.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/openDb';
import type { SampleRow } from '../db/schema';
import { ENERGY_BASES } from '../domain/types';
import { type RunSettings, gpusSchema, powerReadingsSchema, runSettingsSchema, runSummarySchema, runtimeInfoSchema, serverTimingsSchema } from '../domain/jsonColumns';
import { InputError } from '../errors/WattbenchError';
import { energyBasisOf } from '../format/energyLabel';
import { readStoredRun } from '../records/getRunRecord';
import { readRepetitionEnergyRows, readRunSamples } from '../records/workshopRunRows';
import { minMaxSink } from '../series/minMaxBuckets';

export const UPLOAD_VERSION = 1;
/** Samples an upload carries at most (the run page's chart budget: lib/series/runSeries RUN_SERIES_POINTS). */
export const UPLOAD_MAX_SAMPLES = 2000;
export const UPLOAD_MAX_RESULTS = 10_000;
export const UPLOAD_MAX_ENERGY_ROWS = 50_000;

const int = z.number().int();
const count = z.number().int().nonnegative();
const epochMs = z.number().int().nonnegative();
const text = (max: number) => z.string().max(max);
// No control characters: a nickname is shown on a projector and in terminals.
export const nicknameSchema = z
  .string()
  .trim()
  .min(1, 'nickname is empty')
  .max(40, 'nickname is longer than 40 characters')
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'nickname holds control characters');
export const clientIdSchema = z.uuid();

const modelSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$|^[a-z]+:.+$/, 'model sha256 must be 64 lowercase hex digits'),
  fileName: text(512),
  name: text(512).nullable(),
  sizeBytes: count,
  architecture: text(128).nullable(),
  parameters: count.nullable(),
  type: text(64).nullable(),
  contextLength: count.nullable(),
  hasChatTemplate: z.boolean(),
});

/** The machine's facts; its hostname stays on the participant's machine (the nickname names it). */
const hardwareSchema = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{16,64}$/, 'hardware fingerprint must be 16 to 64 lowercase hex digits'),
  cpuModel: text(256),
  cpuCores: count,
  cpuThreads: count,
  memoryBytes: count,
  gpus: gpusSchema,
  os: text(256),
  arch: text(64),
});

const runSchema = z.object({
  status: z.literal('completed', { error: 'only completed runs can be uploaded' }),
  suite: text(256),
  label: text(512).nullable(),
  threads: count,
  reps: count,
  warmup: count,
  contextSize: count,
  maxTokens: count.nullable(),
  seed: int,
  promptFormat: z.enum(['chat', 'completion']),
  settings: runSettingsSchema,
  runtime: runtimeInfoSchema,
  startedAt: epochMs,
  endedAt: epochMs.nullable(),
  loadMs: z.number().nullable(),
  peakRssBytes: count.nullable(),
  error: text(4096).nullable(),
  genTokensPerSec: z.number().nullable(),
  ttftMs: z.number().nullable(),
  joulesPerToken: z.number().nullable(),
  totalJ: z.number().nullable(),
  energySource: text(256).nullable(),
  outputTokens: count.nullable(),
  energyBasis: z.enum(ENERGY_BASES).nullable(),
  engine: text(64).nullable(),
  summary: runSummarySchema.nullable(),
  sweepId: text(128).nullable(),
  sweepIndex: count.nullable(),
  endpoint: text(2048).nullable(),
});

const resultSchema = z.object({
  promptId: text(256),
  promptIndex: count,
  rep: count,
  promptTokens: count,
  outputTokens: count,
  ttftMs: z.number(),
  promptTokensPerSec: z.number(),
  genTokensPerSec: z.number().nullable(),
  interTokenP50Ms: z.number().nullable(),
  interTokenP95Ms: z.number().nullable(),
  e2eMs: z.number(),
  stopReason: text(64),
  startedAt: epochMs,
  endedAt: epochMs,
  output: text(200_000),
  energyJ: z.number().nullable(),
  firstTokenAt: epochMs.nullable(),
  prefillJ: z.number().nullable(),
  decodeJ: z.number().nullable(),
  correct: z.boolean().nullable(),
  serverTimings: serverTimingsSchema.nullable(),
});

const energyRowSchema = z.object({
  /** The repetition (index into `results`) this row covers; null: the whole run's row. */
  resultIndex: count.nullable(),
  source: text(64),
  domain: text(128),
  boundary: text(64),
  method: text(64),
  joules: z.number(),
  netJoules: z.number().nullable(),
  meanW: z.number().nullable(),
  peakW: z.number().nullable(),
  idleW: z.number().nullable(),
  countsTowardTotal: z.boolean(),
  partial: z.boolean(),
  note: text(4096).nullable(),
  estimateModel: text(512).nullable(),
  prefillJoules: z.number().nullable(),
  decodeJoules: z.number().nullable(),
  windowing: z.enum(['edges', 'pro-rata']).nullable(),
});

const sampleSchema = z.object({
  t: epochMs,
  phase: text(32),
  promptIndex: count.nullable(),
  cpuPercent: z.number().nullable(),
  processCpuPercent: z.number().nullable(),
  rssBytes: count.nullable(),
  memUsedBytes: count.nullable(),
  tokensGenerated: count.nullable(),
  powerW: z.number().nullable(),
  power: powerReadingsSchema.nullable(),
});

export const runUploadSchema = z
  .object({
    uploadVersion: z.literal(UPLOAD_VERSION, { error: `uploadVersion must be ${UPLOAD_VERSION}; update wattbench on this machine or on the leader's` }),
    clientId: clientIdSchema,
    nickname: nicknameSchema,
    /** The run's id in the participant's own database (part of the upload key). */
    localRunId: z.number().int().positive(),
    model: modelSchema,
    hardware: hardwareSchema,
    run: runSchema,
    results: z.array(resultSchema).min(1, 'the run has no results').max(UPLOAD_MAX_RESULTS),
    energy: z.array(energyRowSchema).max(UPLOAD_MAX_ENERGY_ROWS),
    /** Samples stored for the run before downsampling, and the kept ones (≤ UPLOAD_MAX_SAMPLES, time order). */
    sampleCount: count,
    samples: z.array(sampleSchema).max(UPLOAD_MAX_SAMPLES),
  })
  .superRefine((u, ctx) => {
    for (const [i, e] of u.energy.entries()) {
      if (e.resultIndex !== null && e.resultIndex >= u.results.length) {
        ctx.addIssue({ code: 'custom', path: ['energy', i, 'resultIndex'], message: `names result ${e.resultIndex}, but the upload has ${u.results.length}` });
        return;
      }
    }
    // The labels must agree with the rows: an estimate stays an estimate.
    const runRows = u.energy.filter((e) => e.resultIndex === null);
    const fromRows = energyBasisOf(null, runRows);
    if (u.run.energyBasis !== null && u.run.energyBasis !== fromRows) {
      ctx.addIssue({ code: 'custom', path: ['run', 'energyBasis'], message: `says "${u.run.energyBasis}" but the run's energy rows are "${fromRows}"` });
    }
    const summaryBasis = u.run.summary?.energy?.basis;
    if (summaryBasis !== undefined && u.run.energyBasis !== null && summaryBasis !== u.run.energyBasis) {
      ctx.addIssue({ code: 'custom', path: ['run', 'summary', 'energy', 'basis'], message: `says "${summaryBasis}" but the run says "${u.run.energyBasis}"` });
    }
    for (const [i, s] of (u.run.summary?.energy?.sources ?? []).entries()) {
      const row = runRows.find((r) => r.source === s.source && r.domain === s.domain);
      if (row && (row.method !== s.method || row.boundary !== s.boundary)) {
        ctx.addIssue({ code: 'custom', path: ['run', 'summary', 'energy', 'sources', i], message: `labels ${s.source}/${s.domain} unlike its energy row` });
      }
    }
  });

export type RunUpload = z.infer<typeof runUploadSchema>;

/** The idempotency key of an uploaded run: the same run uploaded twice is stored once. */
export function uploadKeyOf(clientId: string, localRunId: number, startedAtMs: number): string {
  return createHash('sha256').update(`${clientId}:${localRunId}:${startedAtMs}`).digest('hex');
}

/** One line naming the first problem of an upload that fails the schema. */
export function describeUploadIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : 'upload';
  return `invalid run upload: ${where}: ${issue.message}`;
}

/**
 * Whole sample rows kept by min/max per time bucket (lib/series' rule) on total power, else machine CPU %, so
 * every peak and dip of the curve the leader draws is a real sample.
 */
export function downsampleSamples(rows: readonly SampleRow[], maxRows = UPLOAD_MAX_SAMPLES): SampleRow[] {
  if (rows.length <= maxRows) return [...rows];
  const value = (r: SampleRow) => r.powerW ?? r.cpuPercent ?? 0;
  const sink = minMaxSink(rows[0].t, rows[rows.length - 1].t, rows.length, maxRows);
  const byPoint = new Map<string, SampleRow>();
  for (const r of rows) {
    const key = `${r.t}|${value(r)}`;
    // The sink keeps the earliest point on ties: so does this map.
    if (!byPoint.has(key)) byPoint.set(key, r);
    sink.add(r.t, value(r));
  }
  return sink.points().map((p) => byPoint.get(`${p.x}|${p.y}`)!);
}

/** The model's path on the participant's disk names their home folder: only its file name travels. */
function withoutLocalPaths(settings: RunSettings): RunSettings {
  const local = (p: string | undefined) => (p !== undefined && path.isAbsolute(p) ? path.basename(p) : p);
  return { ...settings, model: local(settings.model), modelPath: local(settings.modelPath) };
}

export interface UploadIdentity {
  clientId: string;
  nickname: string;
}

/**
 * The upload of completed run `localRunId` of this database; bad input (exit 2) when the run is missing,
 * not completed, or a monitor run.
 */
export function buildRunUpload(db: Db, localRunId: number, identity: UploadIdentity): RunUpload {
  const stored = readStoredRun(db, localRunId);
  if (!stored) throw new InputError(`run ${localRunId} not found; see wattbench list for the runs in this database`);
  const { run, model, hardware: hw } = stored;
  if (run.kind === 'monitor') throw new InputError(`run ${localRunId} is a monitor run, not a benchmark; share a benchmark run`);
  if (run.status !== 'completed') {
    throw new InputError(`run ${localRunId} is ${run.status}; only completed runs can be shared: run the suite again`);
  }
  const resultIndex = new Map(stored.results.map((r, i) => [r.id, i]));
  const toEnergy = (rows: typeof stored.energyRows) =>
    rows.map(({ id: _id, runId: _runId, resultId, ...e }) => ({ resultIndex: resultId === null ? null : (resultIndex.get(resultId) ?? null), ...e }));
  const samples = readRunSamples(db, localRunId);
  const upload = {
    uploadVersion: UPLOAD_VERSION,
    clientId: identity.clientId,
    nickname: identity.nickname,
    localRunId,
    model: {
      sha256: model.sha256,
      fileName: model.fileName,
      name: model.name,
      sizeBytes: model.sizeBytes,
      architecture: model.architecture,
      parameters: model.parameters,
      type: model.type,
      contextLength: model.contextLength,
      hasChatTemplate: model.hasChatTemplate,
    },
    hardware: {
      fingerprint: hw.fingerprint,
      cpuModel: hw.cpuModel,
      cpuCores: hw.cpuCores,
      cpuThreads: hw.cpuThreads,
      memoryBytes: hw.memoryBytes,
      gpus: hw.gpus,
      os: hw.os,
      arch: hw.arch,
    },
    run: {
      status: 'completed' as const,
      suite: run.suite,
      label: run.label,
      threads: run.threads,
      reps: run.reps,
      warmup: run.warmup,
      contextSize: run.contextSize,
      maxTokens: run.maxTokens,
      seed: run.seed,
      promptFormat: run.promptFormat,
      settings: withoutLocalPaths(run.settings),
      runtime: run.runtime,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      loadMs: run.loadMs,
      peakRssBytes: run.peakRssBytes,
      error: run.error,
      genTokensPerSec: run.genTokensPerSec,
      ttftMs: run.ttftMs,
      joulesPerToken: run.joulesPerToken,
      totalJ: run.totalJ,
      energySource: run.energySource,
      outputTokens: run.outputTokens,
      energyBasis: run.energyBasis,
      engine: run.engine,
      summary: run.summary,
      sweepId: run.sweepId,
      sweepIndex: run.sweepIndex,
      endpoint: run.endpoint,
    },
    results: stored.results.map(({ id: _id, runId: _runId, ...r }) => r),
    energy: [...toEnergy(stored.energyRows), ...toEnergy(readRepetitionEnergyRows(db, localRunId))],
    sampleCount: samples.length,
    samples: downsampleSamples(samples).map(({ id: _id, runId: _runId, ...s }) => s),
  };
  // Through the schema, so what is sent is exactly what the leader will accept (and a bad local record fails here).
  const parsed = runUploadSchema.safeParse(upload);
  if (!parsed.success) throw new InputError(`run ${localRunId} cannot be shared: ${describeUploadIssue(parsed.error)}`);
  return parsed.data;
}
