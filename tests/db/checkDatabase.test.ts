// Every command that opens a database refuses one it cannot use at once, in one line with exit 2; the reading
// commands open read-only: they create nothing, write nothing, and work on a read-only file and folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it, expect, beforeAll } from 'vitest';
import Database from 'better-sqlite3';
import { openDb } from '../../lib/db/openDb';
import { knownMigrations } from '../../lib/db/checkDatabase';
import { createRun, upsertHardware, upsertModel } from '../../lib/db/runWriter';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { CLI, REPO_ROOT, STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { runCli, type CliResult } from '../helpers/runCli';
import { runCliInProcess } from '../helpers/runCliInProcess';
import { queryDb } from '../helpers/queryDb';

const hardware = await detectHardware();
const dir = makeTempDir('checkdb');

/** A current wattbench database holding one run left "running" by a process that is gone. */
function makeDb(name: string): { file: string; runId: number } {
  const file = path.join(dir, name);
  const db = openDb(file);
  const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
  const runId = createRun(db, {
    modelId: upsertModel(db, { path: '/m.gguf', fileName: 'm.gguf', name: null, sizeBytes: 1, sha256: 'ab', architecture: null, parameters: null, type: null, contextLength: null, hasChatTemplate: false }),
    hardwareId: upsertHardware(db, hardware),
    suite: 'smoke', threads: 1, reps: 1, warmup: 0, contextSize: 64, seed: 1, promptFormat: 'completion', settings: {}, runtime: {},
    pid: deadPid, pidStartTicks: null, startedAt: Date.now(),
  });
  db.$client.close();
  return { file, runId };
}

function alter(file: string, sql: string): void {
  const db = openDb(file, { recoverOrphans: false });
  db.$client.exec(sql);
  db.$client.close();
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function expectOneLineRefusal(res: CliResult, phrase: string | RegExp): void {
  expect(res.code, res.stderr).toBe(2);
  const lines = res.stderr.trim().split('\n');
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(phrase);
  expect(res.stderr).not.toMatch(/\n\s+at /);
}

const commands = (db: string): [string, string[]][] => [
  ['list', ['list', '--db', db]],
  ['show', ['show', '1', '--db', db]],
  ['export', ['export', '1', '--db', db]],
  ['serve', ['serve', '--db', db]],
  // `run` refuses before it loads a model or measures anything.
  ['run', ['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--db', db]],
];

describe('a database wattbench cannot use is refused at once, in one line (exit 2)', () => {
  const cases: Record<string, { file: string; phrase: RegExp }> = {};

  beforeAll(() => {
    const garbage = path.join(dir, 'garbage.db');
    fs.writeFileSync(garbage, 'this is a text file, not SQLite\n'.repeat(200));
    cases.garbage = { file: garbage, phrase: /garbage\.db is not a wattbench database \(not a readable SQLite file\)/ };

    const newer = makeDb('newer.db').file;
    // A migration this version never shipped, later than all of ours: what a newer wattbench leaves behind.
    alter(newer, `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', ${Date.now() + 365 * 86_400_000})`);
    cases.newer = { file: newer, phrase: /newer\.db was written by a newer wattbench; upgrade wattbench or use another --db/ };

    const noColumn = makeDb('no-column.db').file;
    alter(noColumn, 'ALTER TABLE samples DROP COLUMN power');
    cases.noColumn = { file: noColumn, phrase: /no-column\.db is damaged or not a wattbench database \(table "samples" has no column "power"\)/ };

    const noTable = makeDb('no-table.db').file;
    alter(noTable, 'DROP TABLE energy');
    cases.noTable = { file: noTable, phrase: /no-table\.db is damaged or not a wattbench database \(table "energy" is missing\)/ };
  });

  // Every command on garbage; the schema checks through the reading commands' and `run`'s two paths.
  const matrix: Record<string, string[]> = { garbage: ['list', 'show', 'export', 'serve', 'run'], newer: ['list', 'serve', 'run'], noColumn: ['show', 'run'], noTable: ['serve', 'run'] };
  for (const [kind, names] of Object.entries(matrix)) {
    for (const [name, args] of commands('@').filter(([n]) => names.includes(n))) {
      it(`${name} on a ${kind} database`, async () => {
        const { file, phrase } = cases[kind];
        const before = sha256(file);
        // Every command through the real binary on garbage; the other kinds through the CLI's main in-process.
        const full = args.map((a) => (a === '@' ? file : a));
        const res = kind === 'garbage' ? await runCli(full) : await runCliInProcess(full);
        expectOneLineRefusal(res, phrase);
        expect(sha256(file)).toBe(before);
      });
    }
  }
});

describe('reading commands open read-only', () => {
  it('a mistyped --db creates no database and no folder', async () => {
    const typo = path.join(dir, 'typo-folder', 'wattbench.db');
    for (const [i, [name, args]] of commands(typo).filter(([n]) => n !== 'serve' && n !== 'run').entries()) {
      const res = i === 0 ? await runCli(args) : await runCliInProcess(args);
      expectOneLineRefusal(res, `no database at ${typo}; run \`wattbench run\` first or pass --db`);
      expect(fs.existsSync(path.dirname(typo)), name).toBe(false);
    }
  });

  it('list, show and export write nothing: a dead run stays as it was written', async () => {
    const { file, runId } = makeDb('untouched.db');
    const before = sha256(file);
    const list = await runCli(['list', '--json', '--db', file]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: runId, status: 'running' }]);
    for (const args of [['show', String(runId), '--json'], ['export', String(runId), '--format', 'csv']]) {
      const res = await runCli([...args, '--db', file]);
      expect(res.code, res.stderr).toBe(0);
    }
    expect(sha256(file)).toBe(before);
    expect(queryDb<{ status: string }>(file, 'SELECT status FROM runs')).toEqual([{ status: 'running' }]);
  });

  // root ignores file modes: the check then runs the CLI as "nobody", for whom they hold.
  const isRoot = process.getuid?.() === 0;
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));
  it.skipIf(process.platform === 'win32' || (isRoot && !setpriv))('work on a read-only file in a read-only folder (no -shm can be created)', async () => {
    const folder = path.join(makeTempDir('checkdb-ro'), 'ro');
    fs.mkdirSync(folder);
    const { file, runId } = (() => {
      const made = makeDb('ro-source.db');
      const target = path.join(folder, 'wattbench.db');
      fs.copyFileSync(made.file, target);
      return { file: target, runId: made.runId };
    })();
    expect(fs.readdirSync(folder)).toEqual(['wattbench.db']);
    fs.chmodSync(file, 0o444);
    fs.chmodSync(folder, 0o555);
    fs.chmodSync(path.dirname(folder), 0o755);
    const asUser = (args: string[]) =>
      new Promise<CliResult>((resolve) => {
        const argv = [process.execPath, CLI, ...args];
        const child = isRoot
          ? spawn(setpriv as string, ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', HOME: '/tmp' } })
          : spawn(argv[0], argv.slice(1), { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
    // The setup itself: this user really cannot create a file there.
    const probe = await asUser(['export', String(runId), '--db', file, '--output', path.join(folder, 'probe.json')]);
    expectOneLineRefusal(probe, /cannot write .*probe\.json/);

    const list = await asUser(['list', '--json', '--db', file]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: runId, status: 'running' }]);
    const show = await asUser(['show', String(runId), '--json', '--db', file]);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: runId });
    expect(fs.readdirSync(folder)).toEqual(['wattbench.db']);
  });
});

describe('a database from an older wattbench', () => {
  it('is refused by reading commands with the way to upgrade it, and upgraded by the next writing open', async () => {
    const file = path.join(dir, 'older.db');
    // What the first release left: its migrations only, recorded as Drizzle records them.
    const [first, ...later] = knownMigrations();
    expect(later.length).toBeGreaterThan(0);
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec('CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
    for (const statement of first.sql) sqlite.exec(statement);
    sqlite.prepare('INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)').run(first.hash, first.folderMillis);
    sqlite.close();

    const list = await runCli(['list', '--db', file]);
    expectOneLineRefusal(list, `${file} was written by an older wattbench; a \`wattbench run --db ${file}\` upgrades it, or use another --db`);
    openDb(file).$client.close();
    expect(queryDb<{ n: number }>(file, 'SELECT count(*) AS n FROM __drizzle_migrations')).toEqual([{ n: later.length + 1 }]);
    const again = await runCli(['list', '--json', '--db', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual([]);
  });
});
