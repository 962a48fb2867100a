// The start stage's write: the machine, the model and the run row ("running", with pid and process start
// time), once every check of the prepare stage has passed.
import { getModuleVersion } from 'node-llama-cpp';
import { createRun, upsertHardware, upsertModel } from '../db/runWriter';
import { processStartTicks } from '../db/processIdentity';
import { FLASH_ATTENTION, type PreparedRun } from './prepareRun';
import type { RunBenchmarkOptions } from './runBenchmark';

export async function recordRunStart(opts: RunBenchmarkOptions, run: PreparedRun, startedAt: number): Promise<number> {
  const { db, settings, suite } = opts;
  const { llama, engine, model, plan, prompts: prepared, contextSize, threads } = run;
  const powerSources = opts.powerSources ?? [];
  const runtime = {
    nodeLlamaCppVersion: await getModuleVersion(),
    llamaCppRelease: llama.llamaCppRelease.release,
    llamaCppRepo: llama.llamaCppRelease.repo,
    buildType: llama.buildType,
    backend: engine.backend,
    engine,
    gpuLayers: model.gpuLayers,
    nodeVersion: process.version,
    systemInfo: llama.systemInfo,
    powerSources: powerSources.map((s) => ({ id: s.id, label: s.label })),
  };
  const hardwareId = upsertHardware(db, opts.hardware);
  const modelId = upsertModel(db, opts.modelFacts);
  return createRun(db, {
    modelId,
    hardwareId,
    suite: suite.suite.name,
    label: settings.label ?? null,
    threads: threads.gen,
    reps: settings.reps,
    warmup: settings.warmup,
    contextSize,
    maxTokens: settings.maxTokens ?? null,
    seed: settings.seed,
    promptFormat: plan.format,
    settings: {
      ...settings,
      threads: threads.gen,
      batchSize: run.batchSize,
      modelReused: run.modelReused,
      promptThreads: threads.prompt,
      threadChoice: threads,
      contextSize,
      flashAttention: FLASH_ATTENTION,
      model: opts.modelSpec,
      modelPath: opts.modelFacts.path,
      suite: suite.suite.name,
      suiteOrigin: suite.origin,
      suiteVersion: suite.suite.version,
      temperature: suite.suite.temperature,
      chatWrapper: plan.chatWrapper,
      prompts: prepared.map((p) => ({ id: p.prompt.id, title: p.prompt.title, lang: p.prompt.lang, task: p.prompt.task, promptTokens: p.tokens.length, maxTokens: p.maxTokens, ...(p.prompt.expect ? { expect: p.prompt.expect } : {}) })),
    },
    runtime,
    pid: process.pid,
    pidStartTicks: processStartTicks(process.pid),
    startedAt,
    loadMs: run.loadMs,
    engine: engine.kind,
    sweepId: opts.sweep?.sweepId ?? null,
    sweepIndex: opts.sweep?.index ?? null,
  });
}
