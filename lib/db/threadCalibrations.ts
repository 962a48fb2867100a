// The thread-calibration cache: one row per machine fingerprint, llama.cpp build and model size class.
import { and, eq } from 'drizzle-orm';
import type { Db } from './openDb';
import { threadCalibrations, type ThreadCalibrationRow } from './schema';

export type CalibrationKey = Pick<ThreadCalibrationRow, 'hardwareFingerprint' | 'buildId' | 'sizeClass'>;

export function findThreadCalibration(db: Db, key: CalibrationKey): ThreadCalibrationRow | null {
  return (
    db
      .select()
      .from(threadCalibrations)
      .where(and(eq(threadCalibrations.hardwareFingerprint, key.hardwareFingerprint), eq(threadCalibrations.buildId, key.buildId), eq(threadCalibrations.sizeClass, key.sizeClass)))
      .get() ?? null
  );
}

/** Stores a calibration, replacing an older one for the same key. */
export function saveThreadCalibration(db: Db, row: Omit<ThreadCalibrationRow, 'id'>): void {
  db.insert(threadCalibrations)
    .values(row)
    .onConflictDoUpdate({
      target: [threadCalibrations.hardwareFingerprint, threadCalibrations.buildId, threadCalibrations.sizeClass],
      set: { promptThreads: row.promptThreads, genThreads: row.genThreads, measurements: row.measurements, modelFile: row.modelFile, createdAt: row.createdAt },
    })
    .run();
}
