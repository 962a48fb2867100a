// `wattbench footprint` as a child process: hypothetical requests, stored runs in a real SQLite file, and bad input.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../lib/db/openDb';
import { energy, hardware, models, results, runs } from '../../lib/db/schema';
import { CLI, makeTempDir } from '../helpers/paths';
import { runCliInProcess } from '../helpers/runCliInProcess';

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): CliResult {
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete baseEnv.FORCE_COLOR;
  delete baseEnv.WATTBENCH_COUNTRY;
  delete baseEnv.WATTBENCH_DB;
  const r = spawnSync(process.execPath, [CLI, 'footprint', ...args], { encoding: 'utf8', env: { ...baseEnv, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectClose(actual: number, expected: number, relative = 1e-5): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(relative);
}

describe('hypothetical requests', () => {
  it('prints JSON with the method and energy, carbon and water as {low, high}', () => {
    const r = cli(['--active-params', '8', '--total-params', '8', '--output-tokens', '100', '--input-tokens', '40', '--provider', 'openai', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.method).toMatchObject({ name: 'EcoLogits', version: '0.9.1' });
    for (const key of ['energyWh', 'gco2e', 'waterMl']) {
      expect(Object.keys(out[key]).sort()).toEqual(['high', 'low']);
      expect(out[key].low).toBe(out[key].high);
    }
    // 1.2 × (0.00292055 + 0.00450842) Wh = 0.00891476 Wh (see ecologits.test.ts)
    expectClose(out.energyWh.low, 0.00891476);
    expect(out.inputTokens).toBe(40);
  });

  it('gives a range for a closed model: 440 B total, 44..132 B active', () => {
    const r = cli(['--active-params', '44..132', '--total-params', '440', '--output-tokens', '100', '--provider', 'openai', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // 1.2 × (0.0721725 + 0.104932) = 0.212525 Wh … 1.2 × (0.134368 + 0.185103) = 0.383366 Wh (see estimateRequestImpact.test.ts)
    expectClose(out.energyWh.low, 0.212525);
    expectClose(out.energyWh.high, 0.383366);
    expect(out.gpus).toEqual({ low: 16, high: 16 });
  });

  it('takes explicit PUE, WUE and grid', () => {
    const r = cli(['--active-params', '8', '--output-tokens', '100', '--pue', '1', '--wue-onsite', '0', '--wue-offsite', '0', '--grid-g-per-kwh', '1000', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // PUE 1 and 1,000 gCO2e/kWh: grams equal watt-hours, 0.00742897
    expectClose(out.energyWh.low, 0.00742897);
    expectClose(out.gco2e.low, 0.00742897);
    expect(out.waterMl).toEqual({ low: 0, high: 0 });
  });

  it('prints the aligned text view by default', () => {
    const r = cli(['--active-params', '8', '--output-tokens', '100', '--provider', 'openai']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'Cloud estimate: 8 B parameters, 100 output tokens',
      '  Data centre:             OpenAI (Microsoft Azure), PUE 1.2, on-site WUE 0.569 L/kWh, off-site 3.13 L/kWh',
      '  Energy:                  0.00891 Wh       [estimate: EcoLogits 0.9.1]',
    ]);
  });
});

describe('stored runs', () => {
  let dir: string;
  let dbPath: string;

  beforeAll(() => {
    dir = makeTempDir('footprint');
    dbPath = path.join(dir, 'wattbench.db');
    const db = openDb(dbPath);
    const now = Date.now();
    const hw = db
      .insert(hardware)
      .values({ fingerprint: 'f', hostname: 'h', cpuModel: 'cpu', cpuCores: 2, cpuThreads: 2, memoryBytes: 8e9, gpus: [], os: 'linux', arch: 'x64', createdAt: now })
      .returning()
      .get();
    const llama = db
      .insert(models)
      .values({ sha256: 'a', fileName: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf', name: 'Llama 3.2 1B Instruct', sizeBytes: 8e8, parameters: 1_235_814_400, hasChatTemplate: true, createdAt: now })
      .returning()
      .get();
    const stories = db
      .insert(models)
      .values({ sha256: 'b', fileName: 'stories260K.gguf', name: 'stories260K', sizeBytes: 1e6, parameters: 260_000, hasChatTemplate: false, createdAt: now })
      .returning()
      .get();
    const runBase = {
      status: 'completed' as const,
      hardwareId: hw.id,
      suite: 'standard',
      threads: 2,
      reps: 1,
      warmup: 0,
      contextSize: 4096,
      seed: 1,
      promptFormat: 'chat' as const,
      settings: {},
      runtime: {},
      pid: 1,
      startedAt: now,
    };
    const measured = db.insert(runs).values({ ...runBase, modelId: llama.id }).returning().get();
    const unmeasured = db.insert(runs).values({ ...runBase, modelId: stories.id }).returning().get();
    const result = (runId: number, promptIndex: number, promptTokens: number, outputTokens: number) =>
      db
        .insert(results)
        .values({
          runId,
          promptId: `p${promptIndex}`,
          promptIndex,
          rep: 0,
          promptTokens,
          outputTokens,
          ttftMs: 10,
          promptTokensPerSec: 100,
          e2eMs: 1000,
          stopReason: 'eog',
          startedAt: now,
          endedAt: now + 1000,
          output: 'text',
        })
        .returning()
        .get();
    // 600 + 634 = 1,234 prompt tokens; 1,024 + 1,024 = 2,048 output tokens
    const first = result(measured.id, 0, 600, 1024);
    result(measured.id, 1, 634, 1024);
    result(unmeasured.id, 0, 50, 500);
    const row = { runId: measured.id, method: 'counter', partial: false };
    // Whole-run rows: 5,000 J + 400 J = 5,400 J = 1.5 Wh
    db.insert(energy).values({ ...row, resultId: null, source: 'rapl', domain: 'package-0', boundary: 'cpu-package', joules: 5000 }).run();
    db.insert(energy).values({ ...row, resultId: null, source: 'rapl', domain: 'dram', boundary: 'dram', joules: 400 }).run();
    // A per-repetition row is part of the whole-run figure already: not added again.
    db.insert(energy).values({ ...row, resultId: first.id, source: 'rapl', domain: 'package-0', boundary: 'cpu-package', joules: 2500 }).run();
    db.$client.close();
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compares a measured run as JSON: tokens summed over results, energy from the whole-run rows', () => {
    const r = cli(['--run', '1', '--db', dbPath, '--country', 'fr', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.run).toEqual({ id: 1, status: 'completed', repetitions: 2 });
    expect(out).toMatchObject({ inputTokens: 1234, outputTokens: 2048 });
    expect(out.local).toMatchObject({ measured: true, energyWh: 1.5, source: 'rapl', boundary: 'cpu-package + dram', energyMethod: 'counter' });
    // 1.5 Wh × 40.48 gCO2e/kWh / 1000 = 0.06072 g
    expectClose(out.local.gco2eLocalGrid, 0.06072);
    expect(out.grid).toMatchObject({ code: 'FR', origin: 'flag' });
    expect(out.cloud.map((c: { model: { id: string } }) => c.model.id)).toEqual(['llama-3.2-1b', 'gpt-4o-mini', 'gpt-4o']);
    // Same figures as compareLocalToCloud.test.ts: 0.15058 … 0.157487 Wh
    expectClose(out.cloud[0].estimate.energyWh.low, 0.15058);
    expect(out.published).toHaveLength(4);
  });

  it('prints the text view with the country from WATTBENCH_COUNTRY', () => {
    const r = cli(['--run', '1', '--db', dbPath], { WATTBENCH_COUNTRY: 'de' });
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'Footprint of run 1: Llama-3.2-1B-Instruct-Q4_K_M.gguf · 1,234 input + 2,048 output tokens (2 repetitions)',
      'Your grid: Germany (DE), 336 gCO2e/kWh in 2024 [Ember via Our World in Data] (from WATTBENCH_COUNTRY)',
      '',
      'This machine',
      '  Energy:              1.5 Wh          [measured: RAPL energy counters · CPU package + memory (DRAM)]',
    ]);
  });

  it('reads the database from WATTBENCH_DB too, and a run without energy is not measured', () => {
    const r = cli(['--run', '2', '--json'], { WATTBENCH_DB: dbPath });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.local).toMatchObject({ measured: false, energyWh: null, label: 'not measured' });
    expect(out.grid).toMatchObject({ code: 'WORLD', isDefault: true });
    expect(out.cloud[0].model).toMatchObject({ matchedBy: 'own-parameter-count' });
  });

  it('rejects an unknown run with exit 2 and one line', () => {
    const r = cli(['--run', '42', '--db', dbPath]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: run 42 not found; see wattbench list\n');
  });

  it('rejects an unknown country with exit 2 and one line', () => {
    const r = cli(['--run', '1', '--db', dbPath, '--country', 'XX']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'error: unknown country "XX" in --country: use an ISO 3166-1 alpha-2 code such as FR, DE, US, GB, IN or JP, or WORLD (39 known)\n',
    );
  });

  it('rejects a missing database with exit 2', () => {
    const missing = path.join(dir, 'none.db');
    const r = cli(['--run', '1', '--db', missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: no database at ${missing}: run a benchmark first (wattbench run) or pass --db with its path\n`);
  });
});

describe('bad input: exit 2, one line on stderr, nothing on stdout', () => {
  const cases: [string, string[], string][] = [
    ['negative output tokens', ['--active-params', '8', '--output-tokens', '-5'], 'error: --output-tokens must be a whole number of tokens, 0 or more (got "-5")'],
    ['fractional output tokens', ['--active-params', '8', '--output-tokens', '2.5'], 'error: --output-tokens must be a whole number of tokens, 0 or more (got "2.5")'],
    ['negative input tokens', ['--active-params', '8', '--output-tokens', '5', '--input-tokens', '-1'], 'error: --input-tokens must be a whole number of tokens, 0 or more (got "-1")'],
    ['unknown provider', ['--active-params', '8', '--output-tokens', '5', '--provider', 'acme'], 'error: unknown provider "acme": use one of openai, google, anthropic, mistral, huggingface_hub'],
    ['bad parameters', ['--active-params', 'eight', '--output-tokens', '5'], 'error: --active-params must be billions of parameters above 0, or a range such as 44-132 (got "eight")'],
    ['active above total', ['--active-params', '70', '--total-params', '8', '--output-tokens', '5'], 'error: active parameters (70 B) cannot exceed total parameters (8 B)'],
    ['provider with factors', ['--active-params', '8', '--output-tokens', '5', '--provider', 'openai', '--pue', '1.3'], 'error: --provider sets PUE and WUE itself: pass either --provider or --pue with --wue-onsite and --wue-offsite'],
    ['PUE alone', ['--active-params', '8', '--output-tokens', '5', '--pue', '1.3'], 'error: pass --pue, --wue-onsite and --wue-offsite together (or --provider NAME)'],
    ['PUE below 1', ['--active-params', '8', '--output-tokens', '5', '--pue', '0.5', '--wue-onsite', '0', '--wue-offsite', '0'], 'error: --pue must be a PUE of at least 1, or a range such as 1.09-1.14 (got "0.5")'],
    ['nothing to do', [], 'error: pass --run <id> to compare a stored run, or --active-params B and --output-tokens N to estimate a hypothetical request'],
    ['--run with hypothetical flags', ['--run', '1', '--output-tokens', '5', '--provider', 'openai'], 'error: --run compares a stored run and cannot take --output-tokens, --provider: drop them, or drop --run to estimate a hypothetical request'],
    ['a bad run id', ['--run', 'latest'], 'error: --run must be a run id, a whole number above 0 (got "latest")'],
    ['--country without --run', ['--active-params', '8', '--output-tokens', '5', '--country', 'FR'], 'error: --country sets your grid for --run; for a hypothetical request set the data centre grid with --grid-g-per-kwh'],
  ];
  // The table runs the CLI's main in this process; the first case also goes through the real binary.
  it.each(cases)('%s', async (_name, args, message) => {
    const r = await runCliInProcess(['footprint', ...args], { NO_COLOR: '1', WATTBENCH_COUNTRY: undefined, WATTBENCH_DB: undefined });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
  });
  it('through the real binary too', () => {
    const [, args, message] = cases[0];
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
  });
});
