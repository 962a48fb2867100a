// Which boundaries and methods each run's total energy is made of: its whole-run rows that count toward the
// total (a RAPL core or dram sub-zone inside its package is not added). One query for a whole page of runs.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { energy } from '../db/schema';

export interface CountedEnergy {
  /** Boundaries, alphabetical: ["cpu-package", "dram"]. */
  boundaries: string[];
  /** Methods, alphabetical: ["counter", "modelled"]. */
  methods: string[];
}

/** SQLite's default limit on bound parameters is far above this; chunks keep long model histories under it. */
const CHUNK = 500;

export function countedEnergyByRun(db: Db, runIds: readonly number[]): Map<number, CountedEnergy> {
  const out = new Map<number, CountedEnergy>();
  for (let i = 0; i < runIds.length; i += CHUNK) {
    const rows = db
      .selectDistinct({ runId: energy.runId, boundary: energy.boundary, method: energy.method })
      .from(energy)
      .where(and(isNull(energy.resultId), eq(energy.countsTowardTotal, true), inArray(energy.runId, runIds.slice(i, i + CHUNK))))
      .orderBy(asc(energy.runId), asc(energy.boundary), asc(energy.method))
      .all();
    for (const r of rows) {
      const entry = out.get(r.runId) ?? { boundaries: [], methods: [] };
      if (!entry.boundaries.includes(r.boundary)) entry.boundaries.push(r.boundary);
      if (!entry.methods.includes(r.method)) entry.methods.push(r.method);
      out.set(r.runId, entry);
    }
  }
  return out;
}
