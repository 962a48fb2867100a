// The binary and the thread counts behind a run's speed: chosen by calibration when --threads is absent,
// cached per machine, and recorded with the run for every view (--json, the database, the terminal).
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { engineWarnings } from '../../bench/output/engineWarning';
import type { EngineInfo } from '../../lib/engine/describeEngine';
import { COMPUTE_POOL_SIZE, computePoolSize, envWithoutComputePool } from '../../lib/engine/computePool';

describe('wattbench run without --threads', () => {
  const dir = makeTempDir('engine');
  const db = path.join(dir, 'runs.db');
  const base = ['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--idle-seconds', '0', '--db', db];
  // eslint-disable-next-line -- parsed --json output, checked field by field
  let first: Record<string, any>;

  beforeAll(async () => {
    const res = await runCli([...base, '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    first = JSON.parse(res.stdout);
  });

  it('calibrates the thread counts and records the choice, its reason and the measurements', () => {
    const choice = first.settings.threadChoice;
    expect(choice.origin).toBe('calibrated');
    expect(first.settings.threads).toBe(choice.gen);
    expect(first.settings.promptThreads).toBe(choice.prompt);
    expect(choice.measurements.length).toBeGreaterThan(0);
    expect(choice.reason).toContain('calibrated now on this model');
  });

  it('records the llama.cpp binary in the runtime and in its own column', () => {
    const engine = first.runtime.engine as EngineInfo;
    expect(['prebuilt', 'local-build']).toContain(engine.kind);
    expect(engine.systemInfo.length).toBeGreaterThan(0);
    expect(Array.isArray(engine.missingInstructionSets)).toBe(true);
    // `npm ci` builds the native generation loop (postinstall): runs generate on it, with flash attention on auto.
    expect(engine.generationLoop).toEqual({ kind: 'native', reason: null });
    expect(first.settings.flashAttention).toBe('auto');
    // The CLI's entry gave the run a libuv pool of one (every decode on one thread: one OpenMP team).
    expect(engine.computeThreads).toBe(COMPUTE_POOL_SIZE);
    expect(COMPUTE_POOL_SIZE).toBe(1);
    const sqlite = new Database(db, { readonly: true });
    try {
      expect(sqlite.prepare('SELECT engine, threads FROM runs WHERE id = ?').get(first.id)).toEqual({ engine: engine.kind, threads: first.settings.threads });
      expect(sqlite.prepare('SELECT count(*) AS n FROM thread_calibrations').get()).toEqual({ n: 1 });
    } finally {
      sqlite.close();
    }
  });

  it('reuses the calibration on the next run, and shows binary and threads in the terminal summary', async () => {
    const res = await runCli(base);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Runtime: +node-llama-cpp 3\.21\.1, (prebuilt binary|local build) \(cpu/);
    expect(res.stdout).toContain(`Threads:                          ${first.settings.promptThreads} for prompts, ${first.settings.threads} for generation (cached)`);
  });

  it('--threads wins over the calibration', async () => {
    const res = await runCli([...base, '--threads', '2', '--json']);
    const json = JSON.parse(res.stdout);
    expect(json.settings).toMatchObject({ threads: 2, promptThreads: 2, threadChoice: { origin: 'flag', prompt: 2, gen: 2 } });
  });
});

describe('wattbench setup --status', () => {
  it('says which binary runs use; WATTBENCH_ENGINE=prebuilt skips a local build', async () => {
    const res = await runCli(['setup', '--status']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Runs use: (prebuilt binary|local build) \(cpu/);
    const prebuilt = await runCli(['setup', '--status'], { WATTBENCH_ENGINE: 'prebuilt' });
    expect(prebuilt.stdout).toMatch(/^Runs use: prebuilt binary \(cpu\)/);
    expect(prebuilt.stdout).toContain('instruction sets: ');
  });
});

describe('engineWarnings', () => {
  it('are one line each, naming what the binary lacks and the fix, and nothing when it lacks nothing', () => {
    const engine = { kind: 'prebuilt', missingInstructionSets: ['AVX512', 'AVX512_VNNI'], generationLoop: { kind: 'native', reason: null } } as EngineInfo;
    const [line, ...more] = engineWarnings(engine);
    expect(more).toEqual([]);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^the prebuilt llama\.cpp binary does not use AVX512, AVX512_VNNI, which this CPU has, .*run `wattbench setup`/);
    expect(engineWarnings({ ...engine, missingInstructionSets: [] })).toEqual([]);
  });

  it('warn when a pool of several threads meets an OpenMP build, and only then', () => {
    const engine = { kind: 'local-build', openmp: true, computeThreads: 4, missingInstructionSets: [], generationLoop: { kind: 'native', reason: null } } as unknown as EngineInfo;
    const [line, ...more] = engineWarnings(engine);
    expect(more).toEqual([]);
    expect(line).toMatch(/^UV_THREADPOOL_SIZE=4: llama\.cpp's decodes can run on 4 threads, each with its own OpenMP team, .*; unset UV_THREADPOOL_SIZE \(wattbench uses 1\)$/);
    expect(engineWarnings({ ...engine, computeThreads: 1 })).toEqual([]);
    expect(engineWarnings({ ...engine, openmp: false })).toEqual([]);
  });

  it("keeps a user's UV_THREADPOOL_SIZE, records it, and warns about it on an OpenMP build", async () => {
    const dir = makeTempDir('engine-pool');
    const db = path.join(dir, 'runs.db');
    const res = await runCli(['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--idle-seconds', '0', '--threads', '1', '--db', db, '--json'], { UV_THREADPOOL_SIZE: '3' });
    expect(res.code).toBe(0);
    const engine = JSON.parse(res.stdout).runtime.engine as EngineInfo;
    expect(engine.computeThreads).toBe(3);
    // --json prints no warnings; the terminal run does, on an OpenMP build only.
    const terminal = await runCli(['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--idle-seconds', '0', '--threads', '1', '--db', db], { UV_THREADPOOL_SIZE: '3' });
    expect(terminal.code).toBe(0);
    if (engine.openmp) expect(terminal.stderr).toMatch(/^warning: UV_THREADPOOL_SIZE=3: /m);
    else expect(terminal.stderr).not.toContain('UV_THREADPOOL_SIZE');
  });

  it('gives processes that run no model libuv\'s default pool back, unless the user chose the size', () => {
    expect(envWithoutComputePool({ UV_THREADPOOL_SIZE: '1', WATTBENCH_POOL_FROM_ENTRY: '1', PATH: '/bin' })).toEqual({ PATH: '/bin' });
    expect(envWithoutComputePool({ UV_THREADPOOL_SIZE: '2', PATH: '/bin' })).toEqual({ UV_THREADPOOL_SIZE: '2', PATH: '/bin' });
    expect([computePoolSize({}), computePoolSize({ UV_THREADPOOL_SIZE: '0' }), computePoolSize({ UV_THREADPOOL_SIZE: '2000' }), computePoolSize({ UV_THREADPOOL_SIZE: 'x' })]).toEqual([4, 1, 1024, 4]);
  });

  it("a run on node-llama-cpp's generation loop says so, records it with the reason, and calibrates apart", async () => {
    const dir = makeTempDir('engine-loop');
    const db = path.join(dir, 'runs.db');
    const res = await runCli(['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--idle-seconds', '0', '--threads', '1', '--db', db], { WATTBENCH_GENERATION_LOOP: 'node-llama-cpp' });
    expect(res.code).toBe(0);
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: generation runs on node-llama-cpp's loop .*: WATTBENCH_GENERATION_LOOP=node-llama-cpp asked for it$/)]);
    expect(res.stdout).toMatch(/Runtime: +node-llama-cpp 3\.21\.1, .*, node-llama-cpp's generation loop/);
    const shown = await runCli(['show', '1', '--db', db, '--json']);
    const engine = JSON.parse(shown.stdout).runtime.engine as EngineInfo;
    expect(engine.generationLoop).toEqual({ kind: 'node-llama-cpp', reason: 'WATTBENCH_GENERATION_LOOP=node-llama-cpp asked for it' });
    expect(engine.buildId).not.toContain('native-loop');
  });
});
