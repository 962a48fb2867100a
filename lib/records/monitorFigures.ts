// What a monitor run (runs.kind "monitor") adds to its record: what it watched, the watched processes' CPU and
// memory over the window, and its energy per hour. Read from the samples, so a monitor killed before its end
// (no summary stored) still has them.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import type { RunRow } from '../db/schema';
import type { MonitorSettings } from '../domain/jsonColumns';

export interface MonitorFigures {
  target: MonitorSettings['target'];
  name: string | null;
  processes: MonitorSettings['processes'];
  /** --duration, s; null: until stopped. */
  durationS: number | null;
  /** The window recorded, ms (first to last sample). */
  windowMs: number | null;
  /** Mean CPU of the watched processes over the samples, % of the machine (null: the whole machine was watched). */
  meanProcessCpuPercent: number | null;
  /** Mean CPU of the whole machine, %. */
  meanMachineCpuPercent: number | null;
  /** Highest resident memory of the watched processes, bytes. */
  peakRssBytes: number | null;
  /** Counted energy over the window scaled to one hour, J (null: not measured). Wh per hour = mean W. */
  joulesPerHour: number | null;
  /**
   * Requests served in the window. Not counted: the servers people run (Ollama, llama-server, LM Studio)
   * expose no request counter wattbench can read without sitting in front of them, and a number is never guessed.
   */
  requests: null;
}

export function monitorFigures(db: Db, run: RunRow): MonitorFigures | null {
  if (run.kind !== 'monitor') return null;
  const m = run.settings.monitor;
  const row = db.get<{ first: number | null; last: number | null; proc: number | null; machine: number | null; rss: number | null }>(
    sql`SELECT min(t) AS first, max(t) AS last, avg(process_cpu_percent) AS proc, avg(cpu_percent) AS machine, max(rss_bytes) AS rss FROM samples WHERE run_id = ${run.id}`,
  );
  const windowMs = row.first !== null && row.last !== null ? Math.max(0, (run.endedAt ?? row.last) - run.startedAt) : null;
  return {
    target: m?.target ?? 'machine',
    name: m?.name ?? null,
    processes: m?.processes ?? [],
    durationS: m?.durationS ?? null,
    windowMs,
    meanProcessCpuPercent: m?.target === 'machine' ? null : row.proc,
    meanMachineCpuPercent: row.machine,
    peakRssBytes: m?.target === 'machine' ? null : (run.peakRssBytes ?? row.rss),
    joulesPerHour: run.totalJ !== null && windowMs ? (run.totalJ / windowMs) * 3_600_000 : null,
    requests: null,
  };
}
