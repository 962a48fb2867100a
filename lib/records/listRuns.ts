// The runs of a database, newest first, with the figures `wattbench list` shows.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/openDb';
import { runs, models, hardware } from '../db/schema';

export function listRuns(db: Db, limit = 50) {
  return db
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
}

export type RunListRow = ReturnType<typeof listRuns>[number];
