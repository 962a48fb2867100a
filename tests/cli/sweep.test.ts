// Sweeps: comma lists in run's flags make one run per combination, sharing one sweep id, on the real tiny
// models and a real SQLite file; the terminal ends with one table, --json prints an array of run records, bad
// list elements are refused before any work, and the Compare data can select the sweep.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { STORIES_MODEL, RANDOM_MODEL, makeTempDir } from '../helpers/paths';
import { runCli, startCli } from '../helpers/runCli';
import { runCliInProcess } from '../helpers/runCliInProcess';
import { queryDb } from '../helpers/queryDb';
import { waitFor } from '../helpers/waitFor';
import { openDb } from '../../lib/db/openDb';
import { getCompareData } from '../../lib/records/getCompareData';
import { listSweepRuns, listSweeps } from '../../lib/records/listSweeps';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { listRunSummaries } from '../../lib/records/listRunSummaries';

const dir = makeTempDir('sweep');
const FAST = ['--suite', 'smoke', '--reps', '1', '--warmup', '0', '--idle-seconds', '0', '--max-tokens', '8'];
const SWEEP = ['run', '--model', `${STORIES_MODEL},${RANDOM_MODEL}`, '--threads', '1,2', ...FAST];

interface RunRow {
  id: number;
  status: string;
  threads: number;
  sweep_id: string | null;
  sweep_index: number | null;
  model: string;
}
const runRows = (db: string) =>
  queryDb<RunRow>(db, 'select runs.id, status, threads, sweep_id, sweep_index, models.file_name model from runs join models on models.id = runs.model_id order by runs.id');

describe('a sweep of 2 models × 2 thread counts', () => {
  const tableDb = path.join(dir, 'table.db');
  const jsonDb = path.join(dir, 'json.db');
  let table: Awaited<ReturnType<typeof runCli>>;
  let json: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    table = await runCli([...SWEEP, '--db', tableDb]);
    json = await runCli([...SWEEP, '--db', jsonDb, '--json']);
  });

  it('stores 4 runs, one per combination in order, with one sweep id', () => {
    expect(table.code).toBe(0);
    const rows = runRows(tableDb);
    expect(rows.map((r) => [r.model, r.threads, r.sweep_index, r.status])).toEqual([
      ['stories260K.gguf', 1, 1, 'completed'],
      ['stories260K.gguf', 2, 2, 'completed'],
      ['llama-2-tiny-random.gguf', 1, 3, 'completed'],
      ['llama-2-tiny-random.gguf', 2, 4, 'completed'],
    ]);
    expect(new Set(rows.map((r) => r.sweep_id)).size).toBe(1);
    expect(rows[0].sweep_id).toMatch(/^[0-9a-f-]{36}$/);
    // The model stays loaded across its thread counts: the second run of each model reused it.
    const reused = queryDb<{ r: number | null }>(tableDb, "select json_extract(settings, '$.modelReused') r from runs order by id").map((x) => x.r);
    expect(reused).toEqual([0, 1, 0, 1]);
  });

  it('ends with one table: a row per combination, the energy labelled, the fastest marked', () => {
    const lines = table.stdout.trim().split('\n');
    const header = lines.findIndex((l) => /^#\s+RUN\s+STATUS\s+MODEL\s+THREADS\s+CONTEXT\s+BATCH\s+GPU LAYERS\s+GEN \(tok\/s, mean ± σ\)\s+TTFT \(ms, mean ± σ\)\s+ENERGY \(J\/token\)\s+PEAK MEM \(RSS\)/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines.filter((l) => /^#\s+RUN/.test(l))).toHaveLength(1);
    const body = lines.slice(header + 1, header + 5);
    expect(body.map((l) => l.split(/\s+/).slice(0, 5))).toEqual([
      ['1', expect.stringMatching(/^\d+$/), 'completed', 'stories260K.gguf', '1'],
      ['2', expect.stringMatching(/^\d+$/), 'completed', 'stories260K.gguf', '2'],
      ['3', expect.stringMatching(/^\d+$/), 'completed', 'llama-2-tiny-random.gguf', '1'],
      ['4', expect.stringMatching(/^\d+$/), 'completed', 'llama-2-tiny-random.gguf', '2'],
    ]);
    for (const l of body) expect(l).toMatch(/[\d,.]+ ± [\d,.]+ .* [\d.]+ \[1\]\s+[\d,.]+ MiB/);
    expect(body.filter((l) => l.includes('◀ fastest'))).toHaveLength(1);
    // The fastest row is the one with the highest mean generation speed.
    const gen = body.map((l) => Number(/auto \(\d+\)\s+([\d,.]+) ±/.exec(l)![1].replace(/,/g, '')));
    expect(body[gen.indexOf(Math.max(...gen))]).toContain('◀ fastest');
    expect(table.stdout).toMatch(/^\[1\] estimated \(model .*\) · CPU package/m);
    expect(table.stdout).toMatch(/◀ fastest: the highest mean generation speed/);
    // Progress on stderr: combination k of n, with an ETA once one has finished.
    expect(table.stderr).toMatch(/Combination 1 of 4: stories260K\.gguf · 1 thread/);
    expect(table.stderr).toMatch(/Combination 4 of 4: llama-2-tiny-random\.gguf · 2 threads .* · ETA [\d.]+ (ms|s)/);
  });

  it('--json prints an array of the 4 run records, each the record show --json reads back', async () => {
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const records = JSON.parse(json.stdout) as Array<Record<string, any>>; // eslint-disable-line -- parsed output, checked field by field
    expect(records).toHaveLength(4);
    const sweepIds = new Set(records.map((r) => r.sweepId));
    expect(sweepIds.size).toBe(1);
    expect(records.map((r) => [r.model.file, r.settings.threads, r.sweepIndex])).toEqual([
      ['stories260K.gguf', 1, 1],
      ['stories260K.gguf', 2, 2],
      ['llama-2-tiny-random.gguf', 1, 3],
      ['llama-2-tiny-random.gguf', 2, 4],
    ]);
    for (const r of records) expect(r.settings.batchSize).toBeGreaterThan(0);
    const show = await runCli(['show', String(records[2].id), '--db', jsonDb, '--json']);
    const { samplerCpuPercent: _cost, ...fromSweep } = records[2];
    expect(JSON.parse(show.stdout)).toEqual(fromSweep);
  });

  it('the read layer lists the sweep and its runs, and Compare compares them labelled by their threads', () => {
    const db = openDb(tableDb, { readonly: true });
    try {
      const sweeps = listSweeps(db);
      expect(sweeps).toHaveLength(1);
      const [sweep] = sweeps;
      expect(sweep).toMatchObject({ runCount: 4, models: ['stories260K', 'llama-2-tiny-random'] });
      const ids = runRows(tableDb).map((r) => r.id);
      expect(listSweepRuns(db, sweep.sweepId).map((r) => r.id)).toEqual(ids);
      expect(getRunRecord(db, ids[0]).sweepId).toBe(sweep.sweepId);
      const page = listRunSummaries(db, { modelId: null, hardwareId: null, status: null, sort: 'id', dir: 'asc', page: 1, pageSize: 10 });
      expect(page.rows.map((r) => r.sweepId)).toEqual(ids.map(() => sweep.sweepId));

      const data = getCompareData(db, { mode: 'sweep', sweepId: sweep.sweepId });
      expect(data.selection).toEqual({ mode: 'sweep', sweepId: sweep.sweepId });
      expect(data.sweeps.map((s) => s.sweepId)).toEqual([sweep.sweepId]);
      expect(data.items.map((i) => i.label)).toEqual([
        `#${ids[0]} stories260K · t=1`,
        `#${ids[1]} stories260K · t=2`,
        `#${ids[2]} llama-2-tiny-random · t=1`,
        `#${ids[3]} llama-2-tiny-random · t=2`,
      ]);
      for (const item of data.items) expect(item.genTokensPerSec!.value).toBeGreaterThan(0);
      expect(getCompareData(db, { mode: 'sweep', sweepId: 'no-such-sweep' }).items).toEqual([]);
    } finally {
      db.$client.close();
    }
  });
});

describe('bad sweep lists: one line naming the flag and the element, exit 2, nothing written', () => {
  const db = path.join(dir, 'bad.db');
  const missing = path.join(dir, 'missing.gguf');
  const cases: Array<{ name: string; args: string[]; message: RegExp }> = [
    { name: 'a bad thread count', args: ['--model', STORIES_MODEL, '--threads', '1,x'], message: /option '-t, --threads <n\[,n…\]>' argument '1,x' is invalid.*element "x"/ },
    { name: 'an empty element', args: ['--model', STORIES_MODEL, '--threads', '1,,2'], message: /--threads.*'1,,2' is invalid.*without empty elements/ },
    { name: 'an element twice', args: ['--model', STORIES_MODEL, '--context', '256,256'], message: /--context.*"256" appears twice/ },
    { name: 'a context out of range', args: ['--model', STORIES_MODEL, '--context', '2048,8'], message: /--context.*element "8".*from 16 to/ },
    { name: 'a bad GPU layer count', args: ['--model', STORIES_MODEL, '--gpu-layers', 'auto,-1'], message: /--gpu-layers.*element "-1"/ },
    { name: 'a batch of 0', args: ['--model', STORIES_MODEL, '--batch', '512,0'], message: /--batch.*element "0".*from 1 to/ },
    { name: 'a malformed model spec', args: ['--model', `${STORIES_MODEL},hf:owner`], message: /--model element "hf:owner": .*owner and a repository/ },
    { name: 'a model twice', args: ['--model', `${STORIES_MODEL},${STORIES_MODEL}`], message: /--model lists ".*stories260K\.gguf" twice/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const res = await runCliInProcess(['run', ...FAST, '--db', db, ...c.args], { WATTBENCH_MODEL: undefined });
      expect(res.code).toBe(2);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toMatch(c.message);
      expect(res.stdout).toBe('');
    });
  }

  it('every model is checked before the first run: a missing second model runs nothing', async () => {
    const res = await runCli(['run', ...FAST, '--threads', '1', '--db', db, '--model', `${STORIES_MODEL},${missing}`]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^error: .*missing\.gguf.*does not exist/);
    expect(fs.existsSync(db)).toBe(true);
    expect(queryDb<{ n: number }>(db, 'select count(*) n from runs')).toEqual([{ n: 0 }]);
  });
});

describe('a sweep with a failing combination', () => {
  it('reports it in one line, goes on with the next, and exits non-zero', async () => {
    const db = path.join(dir, 'failing.db');
    // A context of 16 tokens cannot hold the smoke prompts: the first combination fails before its run row.
    const res = await runCli(['run', '--model', STORIES_MODEL, '--threads', '1', '--context', '16,2048', ...FAST, '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: combination 1 of 2 failed \(stories260K\.gguf · 1 thread · context 16 · .*\): .*does not fit in a context of 16/m);
    expect(runRows(db).map((r) => [r.sweep_index, r.status])).toEqual([[2, 'completed']]);
    expect(res.stdout).toMatch(/^1\s+—\s+failed\s+stories260K\.gguf\s+1\s+16\s/m);
    expect(res.stdout).toMatch(/^2\s+\d+\s+completed\s+stories260K\.gguf\s+1\s+2048\s.*◀ fastest$/m);
    expect(res.stdout).toMatch(/^#1 failed: .*does not fit in a context of 16/m);
  });
});

describe('an interrupted sweep', () => {
  it('ends the current run as interrupted, starts no other, and exits 130', async () => {
    const db = path.join(dir, 'interrupt.db');
    const { child, done } = startCli(['run', '--model', STORIES_MODEL, '--threads', '1,2', '--suite', 'smoke', '--reps', '10000', '--warmup', '0', '--idle-seconds', '0', '--db', db, '--json']);
    await waitFor('the first combination to store results', () => {
      try {
        return queryDb<{ n: number }>(db, 'select count(*) n from results')[0].n >= 3;
      } catch {
        return false; // the file or its tables do not exist yet
      }
    }, { timeoutMs: 60_000, everyMs: 100 });
    child.kill('SIGINT');
    const res = await done;
    expect(res.code).toBe(130);
    const records = JSON.parse(res.stdout) as Array<{ status: string; sweepIndex: number }>;
    expect(records.map((r) => [r.sweepIndex, r.status])).toEqual([[1, 'interrupted']]);
    expect(runRows(db).map((r) => [r.sweep_index, r.status])).toEqual([[1, 'interrupted']]);
  });
});
