// Energy labels through the real CLI on a real SQLite file: the CSV export, `list` and the footprint JSON say
// measured or estimated, by what, over which boundary and window, and never call an estimate measured.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../lib/db/openDb';
import { energy, results, runs } from '../../lib/db/schema';
import { addHardware, addModel } from '../queries/fixtureDb';
import { idleFloorFromModelLabel } from '../../lib/energy/estimateConstantShare';
import { resolveEstimateModel } from '../../lib/power/cpuPowerModel';
import { CLI, makeTempDir } from '../helpers/paths';

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.WATTBENCH_DB;
  delete env.WATTBENCH_COUNTRY;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const CPU_LABEL = 'CodeCarbon CPU-load model (TDP 65 W)';
const RAM_LABEL = 'CodeCarbon RAM model (20 W: 4 DIMMs guessed from 23.5 GiB)';

describe('energy labels of stored runs', () => {
  let dir: string;
  let dbPath: string;
  const ids = { idleEstimate: 0, busyEstimate: 0, rapl: 0 };

  beforeAll(() => {
    dir = makeTempDir('labels');
    dbPath = path.join(dir, 'wattbench.db');
    const db = openDb(dbPath);
    const now = Date.now();
    const hw = { id: addHardware(db) };
    const qwen = { id: addModel(db, { fileName: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', name: 'Qwen2.5 0.5B Instruct', sizeBytes: 4e8, parameters: 494_032_768, hasChatTemplate: true }) };
    const base = {
      status: 'completed' as const,
      modelId: qwen.id,
      hardwareId: hw.id,
      suite: 'smoke',
      threads: 2,
      reps: 2,
      warmup: 1,
      contextSize: 2048,
      seed: 1,
      promptFormat: 'chat' as const,
      settings: {},
      runtime: {},
      pid: 1,
      startedAt: now,
    };
    const addRun = (energyBasis: 'estimate' | 'measured' | null) => {
      const run = db.insert(runs).values({ ...base, energyBasis }).returning().get();
      for (const rep of [0, 1]) {
        db.insert(results)
          .values({
            runId: run.id,
            promptId: 'p0',
            promptIndex: 0,
            rep,
            promptTokens: 20,
            outputTokens: 50,
            ttftMs: 10,
            promptTokensPerSec: 100,
            e2eMs: 5000,
            stopReason: 'eog',
            startedAt: now + rep * 5000,
            endedAt: now + (rep + 1) * 5000,
            output: 'a story, with a comma',
            energyJ: 1,
          })
          .run();
      }
      return run.id;
    };
    const estimateRows = (runId: number, cpuMeanW: number) => {
      // 10 s of measured repetitions: the CPU at cpuMeanW (floor 6.5 W, 10 % of 65 W), memory a flat 20 W.
      const row = { runId, resultId: null, source: 'estimate', method: 'modelled', partial: false, countsTowardTotal: true };
      db.insert(energy).values({ ...row, domain: 'cpu', boundary: 'cpu-package', joules: cpuMeanW * 10, meanW: cpuMeanW, note: `estimate: ${CPU_LABEL}`, estimateModel: CPU_LABEL }).run();
      db.insert(energy).values({ ...row, domain: 'ram', boundary: 'dram', joules: 200, meanW: 20, note: `estimate: ${RAM_LABEL}`, estimateModel: RAM_LABEL }).run();
    };
    // A small model that barely loads the CPU (the 0.5B case); basis written by the runner.
    ids.idleEstimate = addRun('estimate');
    estimateRows(ids.idleEstimate, 8);
    // The same estimate with the CPU busy: the work dominates. No basis column (an older run): derived.
    ids.busyEstimate = addRun(null);
    estimateRows(ids.busyEstimate, 60);
    // RAPL package, with its core sub-zone shown but not counted. No basis column: derived.
    ids.rapl = addRun(null);
    const rapl = { runId: ids.rapl, resultId: null, source: 'rapl', method: 'counter', partial: false };
    db.insert(energy).values({ ...rapl, domain: 'package-0', boundary: 'cpu-package', joules: 150, meanW: 15, countsTowardTotal: true }).run();
    db.insert(energy).values({ ...rapl, domain: 'core', boundary: 'cpu-cores', joules: 90, meanW: 9, countsTowardTotal: false }).run();
    db.$client.close();
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const exportCsv = (id: number) => {
    const r = cli(['export', String(id), '--format', 'csv', '--db', dbPath]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return parseCsv(r.stdout);
  };

  it('CSV: an estimate carries basis, label, source, boundary, method, model, window, and the constant-term note', () => {
    const rows = exportCsv(ids.idleEstimate);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r).toMatchObject({
        energy_j: '1',
        energy_basis: 'estimate',
        energy_label: `estimated (model ${CPU_LABEL}) · CPU package + estimated (model ${RAM_LABEL}) · memory (DRAM)`,
        energy_source: 'estimate',
        energy_boundary: 'cpu-package + dram',
        energy_method: 'modelled',
        energy_model: `${CPU_LABEL} + ${RAM_LABEL}`,
        energy_window: 'this repetition only (model load, idle and warm-ups excluded)',
        output: 'a story, with a comma',
      });
      // 200 J of memory + 6.5 W × 10 s of CPU floor = 265 J of 280 J: 95 %, above the 50 % threshold.
      expect(r.energy_note).toMatch(/^Mostly a fixed allowance: 95% of this estimate does not depend on the work done .* mostly compares their running times\.$/);
    }
  });

  it('CSV: no note when the work dominates the estimate, and the basis is derived for runs written without it', () => {
    const [r] = exportCsv(ids.busyEstimate);
    expect(r).toMatchObject({ energy_basis: 'estimate', energy_method: 'modelled', energy_note: '' });
  });

  it('CSV: a measurement says measured, by which counter, over the counted boundary only (the core sub-zone is not added)', () => {
    const [r] = exportCsv(ids.rapl);
    expect(r).toMatchObject({
      energy_basis: 'measured',
      energy_label: 'measured: RAPL energy counters · CPU package',
      energy_source: 'rapl',
      energy_boundary: 'cpu-package',
      energy_method: 'counter',
      energy_model: '',
      energy_note: '',
    });
  });

  it('list shows measured or estimated for every run', () => {
    const json = cli(['list', '--db', dbPath, '--json']);
    const byId = new Map((JSON.parse(json.stdout) as { id: number; energyBasis: string }[]).map((r) => [r.id, r.energyBasis]));
    expect([byId.get(ids.idleEstimate), byId.get(ids.busyEstimate), byId.get(ids.rapl)]).toEqual(['estimate', 'estimate', 'measured']);
    const text = cli(['list', '--db', dbPath]).stdout.split('\n');
    expect(text[0]).toMatch(/BASIS/);
    expect(text.filter((l) => / {2}estimated {2}/.test(l))).toHaveLength(2);
    expect(text.filter((l) => /(?<!not) {2}measured {2}/.test(l))).toHaveLength(1);
  });

  it('footprint JSON: an estimate is never marked measured; it says its window, its constant term and the cloud fit range', () => {
    const r = cli(['footprint', '--run', String(ids.idleEstimate), '--db', dbPath, '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.local).toMatchObject({ recorded: true, measured: false, estimated: true, basis: 'estimate', energyMethod: 'modelled' });
    expect(out.local.label).toMatch(/^estimated \(model /);
    expect(out.local.window).toBe('Covers the measured repetitions only: model load, idle and warm-ups are excluded.');
    expect(out.local.constantNote).toMatch(/^Mostly a fixed allowance: 95%/);
    // Qwen2.5 0.5B: 0.49 B active parameters against a fit made on 8 B and up.
    const same = out.cloud.find((c: { role: string }) => c.role === 'same-open-model');
    expect(same.fitWarning).toMatch(/has 0\.49 B active parameters, 16× fewer than the smallest model the fit covers: EcoLogits' energy fit was made on models of about 8–405 B/);
    expect(out.notes).toContain(same.fitWarning);
    // GPT-4o class (44–132 B active) is inside the fitted sizes: no warning.
    expect(out.cloud.find((c: { role: string }) => c.role === 'frontier').fitWarning).toBeUndefined();
  });

  it('footprint JSON: a measurement is measured, a missing figure is neither', () => {
    const out = JSON.parse(cli(['footprint', '--run', String(ids.rapl), '--db', dbPath, '--json']).stdout);
    expect(out.local).toMatchObject({ recorded: true, measured: true, estimated: false, basis: 'measured', boundary: 'cpu-package', constantNote: null });
  });

  it('footprint text: the local window and the constant-term note are printed beside the figure', () => {
    const lines = cli(['footprint', '--run', String(ids.idleEstimate), '--db', dbPath]).stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  Energy:') && l.includes('[estimated (model '));
    expect(lines.slice(at + 3, at + 5)).toEqual([
      '  Window: Covers the measured repetitions only: model load, idle and warm-ups are excluded.',
      expect.stringMatching(/^ {2}Note: Mostly a fixed allowance: 95%/),
    ]);
  });
});

describe('the CPU idle floor read back from the estimate model label', () => {
  it('agrees with resolveEstimateModel for the table, a VM share, an unknown CPU and the flags (to the label’s 0.1 W)', () => {
    const GiB = 1024 ** 3;
    const cases = [
      { cpuModel: '12th Gen Intel(R) Core(TM) i5-12400', logicalCpus: 12 },
      { cpuModel: 'Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz', logicalCpus: 4 },
      { cpuModel: 'mystery CPU', logicalCpus: 2 },
      { cpuModel: 'mystery CPU', logicalCpus: 2, tdpW: 100, idleWatts: 20 },
      { cpuModel: 'Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz', logicalCpus: 4, tdpW: 200 },
    ];
    for (const c of cases) {
      const model = resolveEstimateModel({ ...c, memoryBytes: 16 * GiB, arch: 'x64' });
      expect(Math.abs((idleFloorFromModelLabel(model.cpuModelLabel) ?? NaN) - model.idleW), model.cpuModelLabel).toBeLessThanOrEqual(0.01 + 0.1 * 0.05);
    }
    expect(idleFloorFromModelLabel('something else')).toBeNull();
  });
});
