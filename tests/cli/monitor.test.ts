// `wattbench monitor` on real processes and a real SQLite file: a busy child watched by pid and by name, Ctrl-C
// in the middle, the watched process exiting, and bad input refused before anything is written.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/paths';
import { runCli, startCli } from '../helpers/runCli';
import { runCliInProcess } from '../helpers/runCliInProcess';
import { queryDb } from '../helpers/queryDb';
import { waitFor } from '../helpers/waitFor';
import { openDb } from '../../lib/db/openDb';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { getLiveRun } from '../../lib/records/getLiveRun';
import { getRunDetail } from '../../lib/queries/getRunDetail';
import { getRunSeries } from '../../lib/queries/getRunSeries';

const dir = makeTempDir('monitor');
const children: ChildProcess[] = [];

/** A real process that keeps one core busy until killed; `argv0` names its executable (a symlink to node). */
function spinner(argv0 = process.execPath): ChildProcess {
  const child = spawn(argv0, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

interface RunRow {
  id: number;
  kind: string | null;
  status: string;
  error: string | null;
  total_j: number | null;
  energy_source: string | null;
  energy_basis: string | null;
  ended_at: number | null;
  settings: string;
}

const runsOf = (db: string) => queryDb<RunRow>(db, 'SELECT id, kind, status, error, total_j, energy_source, energy_basis, ended_at, settings FROM runs');
const sampleCount = (db: string): number => {
  try {
    return queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM samples')[0].n;
  } catch {
    return 0; // not created yet
  }
};

describe('wattbench monitor --pid', () => {
  const db = path.join(dir, 'pid.db');
  let pid = 0;

  it('records a completed monitor run of a busy process: samples, its CPU, energy rows with their labels', async () => {
    const child = spinner();
    pid = child.pid!;
    const res = await runCli(['monitor', '--pid', String(pid), '--duration', '2', '--power', 'estimate', '--db', db, '--label', 'spin']);
    expect(res.stderr).not.toMatch(/error/);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`Monitor run 1 \\(completed\\): pid ${pid} \\(node\\)`));
    expect(res.stdout).toMatch(/Energy \(estimated\):\s+[\d.,]+ J\s+\[estimated \(model CodeCarbon CPU-load model .*attributed by process CPU time\) · CPU package/);
    expect(res.stdout).toMatch(/Per hour:\s+[\d.,]+ J · [\d.,]+ Wh/);
    expect(res.stdout).toMatch(/Requests:\s+not counted/);

    const [run] = runsOf(db);
    expect(run).toMatchObject({ kind: 'monitor', status: 'completed', error: null, energy_source: 'estimate', energy_basis: 'estimate' });
    expect(run.total_j).toBeGreaterThan(0);
    expect(JSON.parse(run.settings).monitor).toEqual({ target: 'pid', name: 'node', processes: [{ pid, name: 'node' }], durationS: 2 });
    const samples = queryDb<{ n: number; busy: number; rss: number }>(db, 'SELECT count(*) AS n, max(process_cpu_percent) AS busy, max(rss_bytes) AS rss FROM samples WHERE run_id = ?', run.id)[0];
    expect(samples.n).toBeGreaterThan(2);
    // The spinning child's own CPU time, not wattbench's: it never sleeps.
    expect(samples.busy).toBeGreaterThan(0);
    expect(samples.rss).toBeGreaterThan(1024 * 1024);
    const energy = queryDb<{ source: string; domain: string; boundary: string; method: string; joules: number; estimate_model: string | null; result_id: number | null }>(
      db,
      'SELECT source, domain, boundary, method, joules, estimate_model, result_id FROM energy WHERE run_id = ? ORDER BY domain',
      run.id,
    );
    expect(energy.map((e) => [e.source, e.domain, e.boundary, e.method, e.result_id])).toEqual([
      ['estimate', 'cpu', 'cpu-package', 'modelled', null],
      ['estimate', 'ram', 'dram', 'modelled', null],
    ]);
    expect(energy[0].estimate_model).toMatch(/attributed by process CPU time$/);
    expect(energy.reduce((s, e) => s + e.joules, 0)).toBeCloseTo(run.total_j!, 6);
  });

  it('is read back as a monitor by the records, the run page, its charts and the Live page', () => {
    const conn = openDb(db, { readonly: true });
    try {
      const record = getRunRecord(conn, 1);
      expect(record.kind).toBe('monitor');
      expect(record.results).toEqual([]);
      expect(record.monitor).toMatchObject({ target: 'pid', processes: [{ pid, name: 'node' }], requests: { requests: null }, joulesPerRequest: null });
      // Not a server: no port, and the record says so rather than guessing from its CPU.
      expect(record.monitor!.requests.notCounted).toBe(`not a server: pid ${pid} (node) listens on no TCP port wattbench can see; if it serves through another process, pass --endpoint URL`);
      expect(record.monitor!.meanProcessCpuPercent).toBeGreaterThan(0);
      expect(record.monitor!.peakRssBytes).toBeGreaterThan(0);
      // Energy per hour is the window's energy scaled by its length.
      expect(record.monitor!.joulesPerHour! * (record.monitor!.windowMs! / 3_600_000)).toBeCloseTo(record.energy!.totalJ, 6);
      expect(record.energy!.sources.every((s) => s.method === 'modelled')).toBe(true);

      const detail = getRunDetail(conn, 1)!;
      expect(detail.run.kind).toBe('monitor');
      expect(detail.monitor).toEqual(record.monitor);
      expect(detail.prompts).toEqual([]);
      const series = getRunSeries(conn, 1);
      expect(series.processCpu?.length).toBeGreaterThan(0);
      expect(series.power.length).toBeGreaterThan(0);

      const live = getLiveRun(conn, null)!;
      expect(live).toMatchObject({ runId: 1, kind: 'monitor', status: 'completed' });
      expect(live.monitor?.processCpuPercent).not.toBeUndefined();
    } finally {
      conn.$client.close();
    }
  });

  it('is labelled a monitor by list and show', async () => {
    const list = await runCliInProcess(['list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/monitor: node/);
    expect(list.stdout).toMatch(/monitor: node\s+monitor\s+—.*[\d.,]+ J monitored \[estimate\]/);
    const show = await runCliInProcess(['show', '1', '--db', db]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/Monitor run 1 \(completed\): pid \d+ \(node\)/);
    const footprint = await runCliInProcess(['footprint', '--run', '1', '--db', db]);
    expect(footprint.code).toBe(2);
    expect(footprint.stderr).toMatch(/run 1 is a monitor run: it generated no tokens/);
  });
});

describe('wattbench monitor --process', () => {
  it('finds every process of a name, sums them and lists them', async () => {
    // A name no other process has: node started through a symlink of that name (its comm and argv[0]).
    const name = `wbmon${process.pid % 100000}`;
    const exe = path.join(dir, name);
    fs.symlinkSync(process.execPath, exe);
    const a = spinner(exe);
    const b = spinner(exe);
    await waitFor('both children to start', () => [a, b].every((c) => fs.existsSync(`/proc/${c.pid}/comm`) && fs.readFileSync(`/proc/${c.pid}/comm`, 'utf8').trim() === name));
    const db = path.join(dir, 'process.db');
    const res = await runCliInProcess(['monitor', '--process', name, '--duration', '1', '--power', 'estimate', '--db', db, '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const record = JSON.parse(res.stdout);
    expect(record.kind).toBe('monitor');
    expect(record.monitor.target).toBe('process');
    expect(res.stdout).not.toMatch(/Monitor run/); // --json: the record only
    expect(record.monitor.processes).toEqual([a.pid!, b.pid!].sort((x, y) => x - y).map((pid) => ({ pid, name })));
    expect(record.monitor.meanProcessCpuPercent).toBeGreaterThan(0);
    expect(record.model.file).toBe(`monitor: ${name}`);
  });
});

describe('wattbench monitor endings', () => {
  it('Ctrl-C ends it "interrupted" with every sample kept, exit 130', async () => {
    const child = spinner();
    const db = path.join(dir, 'sigint.db');
    const { child: cli, done } = startCli(['monitor', '--pid', String(child.pid), '--power', 'estimate', '--db', db]);
    const seen = await waitFor('flushed samples', () => sampleCount(db) >= 5 && sampleCount(db), { timeoutMs: 90_000, everyMs: 100 });
    cli.kill('SIGINT');
    const res = await done;
    expect(res.code).toBe(130);
    const [run] = runsOf(db);
    expect(run).toMatchObject({ kind: 'monitor', status: 'interrupted' });
    expect(run.error).toMatch(/Ctrl-C, SIGINT/);
    expect(run.ended_at).not.toBeNull();
    expect(run.total_j).toBeGreaterThan(0);
    expect(sampleCount(db)).toBeGreaterThanOrEqual(seen);
    expect(res.stdout).toMatch(/Monitor run 1 \(interrupted\)/);
  });

  it('the watched process exiting ends it "completed", the reason naming the pid', async () => {
    const child = spinner();
    const db = path.join(dir, 'exit.db');
    const { done } = startCli(['monitor', '--pid', String(child.pid), '--power', 'estimate', '--db', db]);
    await waitFor('flushed samples', () => sampleCount(db) >= 3, { timeoutMs: 90_000, everyMs: 100 });
    child.kill('SIGKILL');
    const res = await done;
    expect(res.code).toBe(0);
    const [run] = runsOf(db);
    expect(run).toMatchObject({ kind: 'monitor', status: 'completed', error: `the watched process exited (pid ${child.pid})` });
    expect(run.total_j).toBeGreaterThan(0);
  });
});

describe('wattbench monitor bad input', () => {
  /** A pid no process has: the highest free one below Linux's ceiling. */
  const freePid = (() => {
    let pid = 4_194_303;
    while (fs.existsSync(`/proc/${pid}`)) pid--;
    return pid;
  })();

  it.each([
    { args: ['--pid', String(freePid)], error: new RegExp(`no running process has pid ${freePid}`) },
    { args: ['--pid', '0'], error: /--pid.*expected a whole number from 1 to 4,194,304/ },
    { args: ['--process', 'no-such-process-wattbench'], error: /no running process is named "no-such-process-wattbench"/ },
    { args: ['--process', 'a/b'], error: /--process must be a process name/ },
    { args: ['--duration', '0'], error: /--duration.*expected a number from 1 to 2,000,000 s, got 0/ },
    { args: ['--duration', 'soon'], error: /--duration.*got "soon"/ },
    { args: ['--pid', '1', '--process', 'node'], error: /--pid and --process each name what to watch/ },
  ])('$args → exit 2, one line, nothing written', async ({ args, error }) => {
    const db = path.join(dir, `bad-${args.join('_').replace(/\W/g, '')}.db`);
    const res = await runCliInProcess(['monitor', ...args, '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(error);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('through the real binary: a missing pid exits 2 with one line', async () => {
    const db = path.join(dir, 'bad-binary.db');
    const res = await runCli(['monitor', '--pid', String(freePid), '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toEqual([`error: no running process has pid ${freePid}; see ps -e for the processes of this machine`]);
    expect(fs.existsSync(db)).toBe(false);
  });
});
