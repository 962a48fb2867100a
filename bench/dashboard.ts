// Scale benchmark of the dashboard: seeds 10,000 runs and 1,000,000 samples, starts the production server on
// them and prints each page's server render time (median of several fetches of the full HTML). While it fetches,
// a writer appends 10 samples a second to the running run (as a benchmark in progress does), so the Live page and
// /api/live are timed against a database being written. It also times, in this process, the run series' fallback
// (computed from every sample, for a run without a stored copy) and its store at run end.
//   npx tsx bench/dashboard.ts [--runs N] [--samples N] [--fetches N] [--db FILE] [--reuse]
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seedDashboardDb } from './seedDashboardDb';
import { REPO_ROOT, startDashboard } from '../lib/server/startDashboard';
import { quantile } from '../lib/stats/summarize';
import { openDb } from '../lib/db/openDb';
import { computeRunSeries } from '../lib/series/runSeries';
import { storeRunSeries } from '../lib/db/storeRunSeries';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    samples: { type: 'string', default: '1000000' },
    fetches: { type: 'string', default: '7' },
    db: { type: 'string', default: path.join(REPO_ROOT, 'tmp', 'dashboard-bench.db') },
    reuse: { type: 'boolean', default: false },
  },
});

const runs = Number(values.runs);
const samples = Number(values.samples);
const fetches = Math.max(1, Number(values.fetches));
const dbPath = path.resolve(values.db!);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function timeFetch(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { 'accept-language': 'en' } });
  const body = await res.arrayBuffer();
  return { ms: performance.now() - start, bytes: body.byteLength, status: res.status };
}

async function main(): Promise<void> {
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  if (!values.reuse || !fs.existsSync(dbPath)) {
    process.stdout.write(`Seeding ${runs.toLocaleString('en')} runs and ${samples.toLocaleString('en')} samples into ${dbPath}…\n`);
    const stats = seedDashboardDb(dbPath, { runs, samples });
    process.stdout.write(
      `  ${stats.runs.toLocaleString('en')} runs, ${stats.results.toLocaleString('en')} results, ${stats.samples.toLocaleString('en')} samples, ` +
        `${stats.energyRows.toLocaleString('en')} energy rows in ${(stats.ms / 1000).toFixed(1)} s ` +
        `(${(fs.statSync(dbPath).size / 1024 ** 2).toFixed(0)} MiB); ` +
        `chart series stored for ${stats.storedSeries} long run(s) in ${stats.storeSeriesMs.toFixed(0)} ms\n`,
    );
  }

  const Database = (await import('better-sqlite3')).default;
  const probe = new Database(dbPath, { readonly: true });
  const biggest = probe.prepare('SELECT run_id AS id, count(*) AS n FROM samples GROUP BY run_id ORDER BY n DESC LIMIT 1').get() as { id: number; n: number };
  const typical = probe.prepare("SELECT id FROM runs WHERE status = 'completed' ORDER BY id DESC LIMIT 1").get() as { id: number };
  const recent = (probe.prepare("SELECT id FROM runs WHERE status = 'completed' ORDER BY id DESC LIMIT 4").all() as { id: number }[]).map((r) => r.id);
  const counts = probe.prepare('SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM samples) AS samples').get() as { runs: number; samples: number };
  probe.close();

  // The series of the biggest run computed from its samples (the fallback path), and stored again (run end).
  const rw = openDb(dbPath, { recoverOrphans: false });
  const fallbackMs: number[] = [];
  const storeMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    let start = performance.now();
    computeRunSeries(rw, biggest.id);
    fallbackMs.push(performance.now() - start);
    start = performance.now();
    storeRunSeries(rw, biggest.id);
    storeMs.push(performance.now() - start);
  }

  process.stdout.write('Starting the production server (building first if the sources changed)…\n');
  const dashboard = await startDashboard({ port: await freePort(), dbPath, build: 'stale', stdio: 'ignore' });
  const pages: [string, string][] = [
    ['Runs (newest first)', '/'],
    ['Runs sorted by J/token', '/?sort=jpt&dir=asc'],
    ['Runs filtered (status failed)', '/?status=failed'],
    ['Runs, page 100', '/?page=100'],
    [`Run detail (${biggest.n.toLocaleString('en')} samples)`, `/runs/${biggest.id}`],
    ['Run detail (typical run)', `/runs/${typical.id}`],
    ['Compare (models on a machine)', '/compare'],
    ['Compare (4 runs)', `/compare?runs=${recent.join(',')}`],
    ['Footprint', '/footprint'],
    ['Machines', '/machines'],
    ['Live', '/live'],
    ['Live API (JSON)', '/api/live'],
  ];
  const rows: { name: string; path: string; median: number; min: number; max: number; kib: number }[] = [];
  // A benchmark in progress: 10 samples flushed every second into the running run (WAL: the server keeps reading).
  const running = rw.$client.prepare("SELECT id FROM runs WHERE status = 'running' ORDER BY id DESC LIMIT 1").get() as { id: number } | undefined;
  const append = rw.$client.prepare(
    `INSERT INTO samples (run_id, t, phase, prompt_index, cpu_percent, rss_bytes, mem_used_bytes, tokens_generated, power_w, power)
     SELECT run_id, max(t + 100, ?), phase, prompt_index, cpu_percent, rss_bytes, mem_used_bytes, tokens_generated + 3, power_w, power
       FROM samples WHERE run_id = ? ORDER BY t DESC LIMIT 1`,
  );
  let appended = 0;
  const writer = running
    ? setInterval(() => {
        rw.$client.transaction(() => {
          for (let k = 0; k < 10; k++) appended += append.run(Date.now() - 1000 + k * 100, running.id).changes;
        })();
      }, 1000)
    : null;
  try {
    for (const [name, p] of pages) {
      const warm = await timeFetch(dashboard.url + p);
      if (warm.status !== 200) throw new Error(`${p} answered ${warm.status}`);
      const times: number[] = [];
      for (let i = 0; i < fetches; i++) times.push((await timeFetch(dashboard.url + p)).ms);
      rows.push({ name, path: p, median: quantile(times, 0.5), min: Math.min(...times), max: Math.max(...times), kib: warm.bytes / 1024 });
    }
  } finally {
    if (writer) clearInterval(writer);
    rw.$client.close();
    await dashboard.stop();
  }

  const w = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(
    `\nDashboard render times: ${counts.runs.toLocaleString('en')} runs, ${counts.samples.toLocaleString('en')} samples; ` +
      `median of ${fetches} fetches after one warm-up (server render + transfer on 127.0.0.1)\n\n`,
  );
  process.stdout.write(`${'page'.padEnd(w)}  ${'median ms'.padStart(9)}  ${'min … max ms'.padStart(14)}  ${'HTML KiB'.padStart(8)}\n`);
  for (const r of rows) {
    process.stdout.write(
      `${r.name.padEnd(w)}  ${r.median.toFixed(0).padStart(9)}  ${`${r.min.toFixed(0)} … ${r.max.toFixed(0)}`.padStart(14)}  ${r.kib.toFixed(0).padStart(8)}\n`,
    );
  }
  const range = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(0)} ms (${Math.min(...xs).toFixed(0)} … ${Math.max(...xs).toFixed(0)})`;
  process.stdout.write(
    `\n${appended.toLocaleString('en')} samples appended to running run ${running?.id ?? '–'} during the fetches.\n` +
      `Series of the ${biggest.n.toLocaleString('en')}-sample run, in this process: computed from its samples (fallback: running or ` +
      `older runs) ${range(fallbackMs)}; stored at run end (computed + written) ${range(storeMs)}.\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
