// The CSV export through the real CLI on a real SQLite file: text a spreadsheet would run as a formula (model
// output, prompt ids, suite and file names) is neutralised; numbers, negative ones included, stay numbers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../lib/db/openDb';
import { results, runs } from '../../lib/db/schema';
import { neutraliseCsvCell } from '../../lib/records/neutraliseCsvCell';
import { addHardware, addModel } from '../queries/fixtureDb';
import { CLI, makeTempDir } from '../helpers/paths';

describe('neutraliseCsvCell', () => {
  it('prefixes an apostrophe to text starting with =, +, -, @, a tab or a carriage return', () => {
    for (const formula of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(neutraliseCsvCell(formula)).toBe(`'${formula}`);
    }
  });

  it('leaves other text alone, a formula sign further in included', () => {
    for (const text of ['a story', 'x=1', '', "'already", 'stories260K.gguf']) expect(neutraliseCsvCell(text)).toBe(text);
  });

  it('as csv-stringify’s string cast, it never touches numbers', () => {
    const csv = stringify([[-3.2, '-3.2', '=1', 0]], { cast: { string: neutraliseCsvCell } });
    expect(csv).toBe("-3.2,'-3.2,'=1,0\n");
  });
});

describe('wattbench export --format csv', () => {
  let dir: string;
  let dbPath: string;
  let runId: number;

  beforeAll(() => {
    dir = makeTempDir('csvcells');
    dbPath = path.join(dir, 'wattbench.db');
    const db = openDb(dbPath);
    const now = Date.now();
    const modelId = addModel(db, { fileName: '=cmd|calc.gguf', name: '@evil' });
    const run = db
      .insert(runs)
      .values({
        status: 'completed', modelId, hardwareId: addHardware(db), suite: '+suite', threads: 1, reps: 1, warmup: 0,
        contextSize: 512, seed: 1, promptFormat: 'completion', settings: {}, runtime: {}, pid: 1, startedAt: now,
      })
      .returning()
      .get();
    runId = run.id;
    db.insert(results)
      .values({
        runId, promptId: '@p0', promptIndex: 0, rep: 0, promptTokens: 5, outputTokens: 3, ttftMs: -3.2, promptTokensPerSec: 100,
        e2eMs: 50, stopReason: 'eog', startedAt: now, endedAt: now + 50, output: '=HYPERLINK("http://evil.example","click")\r\n-1', energyJ: null,
      })
      .run();
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('neutralises the formula-like text cells and keeps the negative number a number', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.WATTBENCH_DB;
    const r = spawnSync(process.execPath, [CLI, 'export', String(runId), '--format', 'csv', '--db', dbPath], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    const [header, row] = r.stdout.split('\n');
    const cols = header.split(',');
    // The row up to the output column has no quoted commas: split it, and read the output cell from the end.
    const cells = row.split(',');
    const cell = (name: string) => cells[cols.indexOf(name)];
    expect(cell('model_file')).toBe("'=cmd|calc.gguf");
    expect(cell('suite')).toBe("'+suite");
    expect(cell('prompt_id')).toBe("'@p0");
    expect(cell('ttft_ms')).toBe('-3.2');
    expect(r.stdout).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")\r\n-1"`);
  });
});
