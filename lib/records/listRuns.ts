// The runs of a database, newest first, with the figures `wattbench list` shows.
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { runs, models, hardware } from '../db/schema';
import { energyBasisOf } from '../format/energyLabel';

export function listRuns(db: Db, limit = 50) {
  const rows = db
    .select({
      id: runs.id,
      status: runs.status,
      model: models.fileName,
      suite: runs.suite,
      label: runs.label,
      threads: runs.threads,
      reps: runs.reps,
      genTokensPerSec: runs.genTokensPerSec,
      ttftMs: runs.ttftMs,
      joulesPerToken: runs.joulesPerToken,
      energySource: runs.energySource,
      storedBasis: runs.energyBasis,
      // For runs written before energy_basis: the methods of the counted whole-run rows.
      methods: sql<string | null>`(SELECT group_concat(DISTINCT e.method) FROM energy e WHERE e.run_id = ${runs.id} AND e.result_id IS NULL AND e.counts_toward_total = 1)`,
      startedAt: runs.startedAt,
      cpu: hardware.cpuModel,
      hostname: hardware.hostname,
    })
    .from(runs)
    .innerJoin(models, eq(runs.modelId, models.id))
    .innerJoin(hardware, eq(runs.hardwareId, hardware.id))
    .orderBy(desc(runs.id))
    .limit(limit)
    .all();
  return rows.map(({ storedBasis, methods, ...r }) => ({
    ...r,
    /** measured | estimate | mixed | none */
    energyBasis: energyBasisOf(storedBasis, (methods ?? '').split(',').filter(Boolean).map((method) => ({ method }))),
  }));
}

export type RunListRow = ReturnType<typeof listRuns>[number];
