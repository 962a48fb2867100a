// Graded answers end to end: a real run of a few graded items on stories260K (it gets most wrong), the grade of
// every repetition in the database, and accuracy and joules per correct answer read back the same way by
// --json, show, list, CSV export and the compare data; a bad `expect` in a user suite is one line, exit 2.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { STORIES_MODEL, REPO_ROOT, makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { queryDb } from '../helpers/queryDb';
import { openDb } from '../../lib/db/openDb';
import { getCompareData } from '../../lib/records/getCompareData';

const MINI = path.join(REPO_ROOT, 'tests', 'fixtures', 'suites', 'quality-mini.json');
const RUN_FLAGS = ['--model', STORIES_MODEL, '--reps', '1', '--warmup', '0', '--idle-seconds', '0', '--threads', '1'];

interface Row {
  prompt_id: string;
  correct: number | null;
  energy_j: number | null;
}

describe('graded runs on stories260K', () => {
  const dir = makeTempDir('quality');
  const db = path.join(dir, 'runs.db');
  // Only the two items a tiny story model cannot answer: no correct answer.
  const zeroSuite = path.join(dir, 'zero.json');
  let mini: Record<string, any>; // eslint-disable-line -- the parsed --json output is checked field by field
  let zero: Record<string, any>; // eslint-disable-line -- idem

  beforeAll(async () => {
    const suite = JSON.parse(fs.readFileSync(MINI, 'utf8'));
    fs.writeFileSync(zeroSuite, JSON.stringify({ ...suite, name: 'quality-zero', prompts: suite.prompts.filter((p: { id: string }) => p.id === 'add' || p.id === 'capital') }));
    const a = await runCli(['run', ...RUN_FLAGS, '--suite', MINI, '--db', db, '--json']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    mini = JSON.parse(a.stdout);
    const b = await runCli(['run', ...RUN_FLAGS, '--suite', zeroSuite, '--db', db, '--json']);
    expect(b.code).toBe(0);
    zero = JSON.parse(b.stdout);
  });

  const rowsOf = (runId: number) => queryDb<Row>(db, 'SELECT prompt_id, correct, energy_j FROM results WHERE run_id = ? ORDER BY prompt_index, rep', runId);

  it('stores a grade for every graded repetition and none for the ungraded prompt', () => {
    const rows = rowsOf(mini.id);
    expect(rows.map((r) => r.prompt_id)).toEqual(['any-letter', 'add', 'capital', 'ungraded']);
    // Any output with a letter passes the pattern; the story model cannot add or name Ottawa.
    expect(rows.map((r) => r.correct)).toEqual([1, 0, 0, null]);
  });

  it('reports accuracy and joules per correct answer computed from the stored rows', () => {
    const rows = rowsOf(mini.id);
    const graded = rows.filter((r) => r.correct !== null);
    const correct = graded.filter((r) => r.correct === 1).length;
    const energy = graded.reduce((a, r) => a + r.energy_j!, 0);
    expect(graded.every((r) => r.energy_j !== null && r.energy_j > 0)).toBe(true);
    const q = mini.quality;
    expect(q).toMatchObject({ graded: graded.length, correct });
    expect(q.accuracy.p).toBeCloseTo(correct / graded.length, 12);
    expect(q.accuracy.low).toBeLessThan(q.accuracy.p);
    expect(q.accuracy.high).toBeGreaterThan(q.accuracy.p);
    expect(q.joulesPerCorrect).toBeCloseTo(energy / correct, 9);
    // The ungraded prompt's energy is not in it.
    const all = rows.reduce((a, r) => a + r.energy_j!, 0);
    expect(q.joulesPerCorrect).toBeLessThan(all / correct);
    expect(q.prompts.map((p: { promptId: string; expected: string; correct: number }) => [p.promptId, p.expected, p.correct])).toEqual([
      ['any-letter', '/[a-z]/i', 1],
      ['add', '936', 0],
      ['capital', 'Ottawa', 0],
    ]);
  });

  it('has no joules per correct answer when no answer is right, and says so plainly', async () => {
    expect(rowsOf(zero.id).map((r) => r.correct)).toEqual([0, 0]);
    expect(zero.quality).toMatchObject({ graded: 2, correct: 0, joulesPerCorrect: null });
    expect(zero.quality.gradedEnergyJ).toBeGreaterThan(0);
    const show = await runCli(['show', String(zero.id), '--db', db]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/Accuracy:\s+0% right \(0\/2; 95% interval 0%–\d+%\)/);
    expect(show.stdout).toMatch(/Energy per correct answer:\s+no correct answer\n/);
  });

  it('shows the grades in the terminal summary, the list, and the CSV export', async () => {
    const [show, list, csv] = await Promise.all([
      runCli(['show', String(mini.id), '--db', db]),
      runCli(['list', '--db', db, '--json']),
      runCli(['export', String(mini.id), '--format', 'csv', '--db', db]),
    ]);
    expect(show.stdout).toMatch(/Graded:\s+✓ 1\/1 right · expected \/\[a-z\]\/i/);
    // With the energy's label: an estimate says it is one.
    expect(show.stdout).toMatch(/Energy per correct answer:\s+[\d.]+ J\/correct answer {2}\[(estimated \(model|measured)/);
    const listed = JSON.parse(list.stdout) as Array<{ id: number; quality: { correct: number; graded: number } | null }>;
    expect(listed.find((r) => r.id === mini.id)!.quality).toMatchObject({ correct: 1, graded: 3 });
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0].split(',').at(-1)).toBe('correct');
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['1', '0', '0', '']);
  });

  it('gives the compare data accuracy and joules per correct answer for both runs', () => {
    const handle = openDb(db, { readonly: true });
    try {
      const data = getCompareData(handle, { mode: 'runs', runIds: [mini.id, zero.id] });
      expect(data.items.map((i) => [i.runIds[0], i.quality?.correct, i.quality?.graded])).toEqual([
        [mini.id, 1, 3],
        [zero.id, 0, 2],
      ]);
      expect(data.items[0].quality!.joulesPerCorrect).toBeCloseTo(mini.quality.joulesPerCorrect, 9);
      expect(data.items[0].quality!.accuracy.low).toBeCloseTo(mini.quality.accuracy.low, 12);
      expect(data.items[1].quality!.joulesPerCorrect).toBeNull();
    } finally {
      handle.$client.close();
    }
  });
});

describe('a user suite with a bad expect', () => {
  it('is refused in one line naming the prompt and the fix, exit 2, before anything is written', async () => {
    const dir = makeTempDir('quality-bad');
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ name: 'bad', description: 'bad expect', prompts: [{ id: 'q', title: 'Q', maxTokens: 8, text: 'Hi', expect: { type: 'numeric', value: 'twelve' } }] }),
    );
    const db = path.join(dir, 'runs.db');
    const res = await runCli(['run', '--model', STORIES_MODEL, '--suite', file, '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/prompts\.0\.expect\.value: "value" must be a number/);
    expect(fs.existsSync(db)).toBe(false);
  });
});
