// What a monitor run (runs.kind "monitor") adds to its record: what it watched, the watched processes' CPU and
// memory over the window, and its energy per hour. Read from the samples, so a monitor killed before its end
// (no summary stored) still has them.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import type { RunRow } from '../db/schema';
import type { MonitorRequests, MonitorSettings } from '../domain/jsonColumns';
import { describeNotCounted } from '../monitor/notCountedReason';

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
   * The watched server's requests in the window, as runtime.monitorRequests stored them (what they were counted
   * from, tokens where the server reports them, or why they were not counted). Runs from before per-request
   * counting say "not counted".
   */
  requests: MonitorRequests;
  /** The window's counted energy per request, J (null: requests not counted, none served, or energy not measured); an upper bound when the count is a lower bound (`requests.exact` false). */
  joulesPerRequest: number | null;
}

const NOT_RECORDED = describeNotCounted({ code: 'older', params: {} }, 'en');

export function monitorFigures(db: Db, run: RunRow): MonitorFigures | null {
  if (run.kind !== 'monitor') return null;
  const m = run.settings.monitor;
  const row = db.get<{ first: number | null; last: number | null; proc: number | null; machine: number | null; rss: number | null }>(
    sql`SELECT min(t) AS first, max(t) AS last, avg(process_cpu_percent) AS proc, avg(cpu_percent) AS machine, max(rss_bytes) AS rss FROM samples WHERE run_id = ${run.id}`,
  );
  const requests: MonitorRequests = run.runtime.monitorRequests ?? {
    endpoint: null, kind: null, version: null, origin: null, method: null, exact: false, pollIntervalMs: 0, requests: null,
    promptTokens: null, outputTokens: null, tokensMethod: null, notCounted: NOT_RECORDED, notCountedCode: 'older', notCountedParams: {}, polls: 0, failedPolls: 0, lastError: null,
  };
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
    requests,
    joulesPerRequest: run.totalJ !== null && requests.requests ? run.totalJ / requests.requests : null,
  };
}
