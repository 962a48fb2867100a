// A run against a server (`wattbench run --endpoint`): the same stages as runBenchmark — start (run row, disk
// reserve, samples flushed every second), measure (measureSuite: idle, warm-ups, repetitions), end (endRun:
// energy accounting, status, reason) — with each repetition a streamed request instead of a local generation.
// The probe (server, API, model) is the caller's, before anything is written.
import crypto from 'node:crypto';
import type { Db } from '../db/openDb';
import { createRun, upsertHardware, upsertModel, type RunEnd } from '../db/runWriter';
import { processStartTicks } from '../db/processIdentity';
import type { ServerInfo } from '../domain/jsonColumns';
import type { HardwareFacts } from '../hardware/detectHardware';
import type { ModelFacts } from '../model/inspectModelFile';
import { readsAtEdges, type PowerSource } from '../power/types';
import { createSampler, type SamplerState } from '../sampler/createSampler';
import type { LoadedSuite } from '../suites/loadSuite';
import type { EnergyAccount } from '../runner/accountEnergy';
import { createDiskReserve } from '../runner/diskReserve';
import { concludeRun } from '../runner/endRun';
import { measureSuite } from '../runner/measureSuite';
import type { BenchmarkProgress } from '../runner/runBenchmark';
import type { InterruptSignal } from '../runner/runEnding';
import { startSampleFlush } from '../runner/sampleFlush';
import type { RepetitionResult, RunSummaryJson } from '../runner/types';
import { measureServerRepetition } from './measureServerRepetition';
import { openAiBody } from './openaiStream';
import { ollamaBody } from './ollamaStream';
import type { ServerProbe } from './probeEndpoint';
import type { ServerPrompt } from './serverPrompts';

export interface ServerBenchmarkSettings {
  reps: number;
  warmup: number;
  maxTokens?: number;
  seed: number;
  label?: string;
  idleSeconds: number;
  sampleIntervalMs: number;
  power: string;
  format: 'chat' | 'completion';
  /** Seconds without a byte of a reply before its stream is declared stalled. */
  streamTimeoutS: number;
}

export interface RunServerBenchmarkOptions {
  db: Db;
  probe: ServerProbe;
  model: string;
  /** Where the server runs and its processes (found by port or given by --server-pid; none when remote). */
  location: ServerInfo['location'];
  pids: number[];
  pidOrigin: ServerInfo['pidOrigin'];
  suite: LoadedSuite;
  prompts: ServerPrompt[];
  settings: ServerBenchmarkSettings;
  hardware: HardwareFacts;
  /** Empty for a remote server: this machine's sensors say nothing about its energy. */
  powerSources: PowerSource[];
  signal?: AbortSignal;
  progress?: BenchmarkProgress;
}

export interface ServerBenchmarkOutcome {
  runId: number;
  status: RunEnd['status'];
  interruptedBy: InterruptSignal | null;
  summary: RunSummaryJson;
  energy: EnergyAccount | null;
}

export async function runServerBenchmark(opts: RunServerBenchmarkOptions): Promise<ServerBenchmarkOutcome> {
  const { db, settings, probe } = opts;
  const stop = new AbortController();
  const onCallerAbort = (): void => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onCallerAbort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let failure: { error: unknown } | null = null;
  const fail = (err: unknown): void => {
    failure ??= { error: err };
    stop.abort(err);
  };

  const temperature = opts.suite.suite.temperature;
  const server: ServerInfo = {
    endpoint: probe.baseUrl,
    api: probe.api,
    kind: probe.kind,
    version: probe.version,
    model: opts.model,
    modelInfo: probe.modelInfo,
    location: opts.location,
    pids: opts.pids,
    pidOrigin: opts.pidOrigin,
    request: { temperature, seed: settings.seed, maxTokensCap: settings.maxTokens ?? null, stream: true },
    streamIdleTimeoutS: settings.streamTimeoutS,
  };

  const state: SamplerState = { phase: 'load', promptIndex: null, tokensGenerated: 0 };
  const powerSources = opts.powerSources;
  const startedAt = Date.now();
  for (const source of powerSources) await source.start({ nowMs: startedAt, cpuUtilisation: 0 });
  const sampler = createSampler({ intervalMs: settings.sampleIntervalMs, getState: () => state, powerSources, workerPids: opts.pids });
  sampler.start();
  const reserve = createDiskReserve(db.$client.name);
  try {
    let runId: number;
    try {
      runId = recordServerRunStart(opts, server, startedAt);
    } catch (err) {
      sampler.stop();
      for (const source of powerSources) await source.stop().catch(() => undefined);
      throw err;
    }
    const flush = startSampleFlush(db, runId, sampler, fail);
    const measured: RepetitionResult[] = [];
    const resultIds: number[] = [];
    const target = { baseUrl: probe.baseUrl, api: probe.api, kind: probe.kind, idleTimeoutMs: settings.streamTimeoutS * 1000, connectTimeoutMs: settings.streamTimeoutS * 1000 };
    try {
      flush.flushNow();
      await measureSuite({
        db,
        runId,
        run: { prompts: opts.prompts },
        measure: async (p, hooks) => {
          const m = await measureServerRepetition(
            target,
            { model: opts.model, format: settings.format, text: p.text, system: p.system, maxTokens: p.maxTokens, temperature, seed: settings.seed, ignoreEos: p.prompt.ignoreEos },
            hooks,
          );
          // The sampler's token counter, from the server's count once the reply is complete.
          hooks.onTokens(m.outputTokens);
          return m;
        },
        suite: opts.suite,
        settings,
        sampler,
        state,
        markEdges: readsAtEdges(powerSources),
        signal: stop.signal,
        progress: opts.progress,
        measured,
        resultIds,
      });
    } catch (err) {
      fail(err);
    }

    state.phase = 'done';
    state.promptIndex = null;
    opts.progress?.onStage?.('finishing');
    const titles = new Map(opts.prompts.map((p) => [p.prompt.id, p.prompt.title]));
    const { ended, ending } = await concludeRun({ db, runId, sampler, flush, reserve, powerSources, measured, resultIds, titles }, failure as { error: unknown } | null, stop.signal);
    return { runId, status: ended.status, interruptedBy: ending.status === 'interrupted' ? ending.signal : null, summary: ended.summary, energy: ended.energy };
  } finally {
    reserve.release();
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** The model as the server describes it, in the models table: identified by a hash of what the server says. */
export function serverModelFacts(probe: ServerProbe, model: string, format: 'chat' | 'completion'): ModelFacts {
  const info = probe.modelInfo ?? {};
  const meta = (info.meta ?? {}) as Record<string, unknown>;
  const details = (info.details ?? {}) as Record<string, unknown>;
  const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  const str = (x: unknown): string | null => (typeof x === 'string' && x ? x : null);
  const size = num(meta.size) ?? num(info.size) ?? 0;
  const parameters = num(meta.n_params) ?? parameterSize(str(details.parameter_size));
  // The same model served at another address or port is the same model: the URL is not part of its identity.
  const identity = [probe.kind, model, str(info.digest) ?? '', size, parameters ?? ''].join('|');
  return {
    path: probe.baseUrl,
    fileName: model,
    name: model,
    sizeBytes: size,
    sha256: crypto.createHash('sha256').update(`server|${identity}`).digest('hex'),
    architecture: str(details.family),
    parameters,
    type: str(details.quantization_level) ?? str(meta.ftype) ?? str((info.props as Record<string, unknown> | undefined)?.model_ftype),
    contextLength: num(meta.n_ctx_train),
    hasChatTemplate: format === 'chat',
  };
}

/** Ollama's "8.0B", "260K", "1.5M": the parameter count it states; null when it states none. */
export function parameterSize(text: string | null): number | null {
  const m = text ? /^([\d.]+)\s*([KMBT])$/i.exec(text.trim()) : null;
  if (!m) return null;
  const scale = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[m[2].toUpperCase() as 'K' | 'M' | 'B' | 'T'];
  return Math.round(Number(m[1]) * scale);
}

function recordServerRunStart(opts: RunServerBenchmarkOptions, server: ServerInfo, startedAt: number): number {
  const { db, settings, suite, probe } = opts;
  const hardwareId = upsertHardware(db, opts.hardware);
  const modelId = upsertModel(db, serverModelFacts(probe, opts.model, settings.format));
  const sample = opts.prompts[0];
  const exampleBody = sample
    ? probe.api === 'ollama'
      ? ollamaBody({ model: opts.model, format: settings.format, text: '…', maxTokens: sample.maxTokens, temperature: suite.suite.temperature, seed: settings.seed, ignoreEos: false })
      : openAiBody({ model: opts.model, format: settings.format, text: '…', maxTokens: sample.maxTokens, temperature: suite.suite.temperature, seed: settings.seed, ignoreEos: false }, probe.kind)
    : null;
  const nCtx = ((probe.modelInfo?.props ?? {}) as Record<string, unknown>).n_ctx;
  return createRun(db, {
    modelId,
    hardwareId,
    suite: suite.suite.name,
    label: settings.label ?? null,
    // The server's threads are its own: not known to the client.
    threads: 0,
    reps: settings.reps,
    warmup: settings.warmup,
    contextSize: typeof nCtx === 'number' ? nCtx : 0,
    maxTokens: settings.maxTokens ?? null,
    seed: settings.seed,
    promptFormat: settings.format,
    settings: {
      reps: settings.reps,
      warmup: settings.warmup,
      maxTokens: settings.maxTokens ?? null,
      seed: settings.seed,
      ...(settings.label ? { label: settings.label } : {}),
      idleSeconds: settings.idleSeconds,
      sampleIntervalMs: settings.sampleIntervalMs,
      power: settings.power,
      promptFormat: settings.format,
      model: opts.model,
      suite: suite.suite.name,
      suiteOrigin: suite.origin,
      suiteVersion: suite.suite.version,
      temperature: suite.suite.temperature,
      endpoint: probe.baseUrl,
      // One request body as sent (the prompt elided), so the settings are the ones on the wire.
      requestExample: exampleBody,
      prompts: opts.prompts.map((p) => ({ id: p.prompt.id, title: p.prompt.title, lang: p.prompt.lang, task: p.prompt.task, maxTokens: p.maxTokens, ...(p.prompt.expect ? { expect: p.prompt.expect } : {}) })),
    },
    runtime: { nodeVersion: process.version, powerSources: opts.powerSources.map((s) => ({ id: s.id, label: s.label })), server },
    pid: process.pid,
    pidStartTicks: processStartTicks(process.pid),
    startedAt,
    loadMs: null,
    engine: null,
    endpoint: probe.baseUrl,
  });
}
