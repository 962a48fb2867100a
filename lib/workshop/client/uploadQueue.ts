// The participant's outbox (`run_shares`): every run this database pushes to a leader gets a row before the
// upload is tried, so a failure leaves it `pending` for the next `join` or `share --pending`; the leader's answer
// sets it `sent` (with the leader's run id) or `rejected` (a 4xx: retrying would not help).
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/openDb';
import { runShares, type RunShareRow } from '../../db/schema';
import type { UploadOutcome } from './leaderClient';

/**
 * This database's id towards leaders: the one its first share used, else a new random one (kept once a run is
 * shared; a join that publishes nothing leaves none behind, and the next join draws another).
 */
export function clientIdOf(db: Db): string {
  const row = db.select({ clientId: runShares.clientId }).from(runShares).orderBy(asc(runShares.id)).limit(1).get();
  return row?.clientId ?? randomUUID();
}

export interface ShareTarget {
  runId: number;
  serverUrl: string;
  code: string;
  token: string;
  clientId: string;
  nickname: string;
}

/** The outbox row of this run for this workshop: created `pending`, or the existing one (token and nickname refreshed unless already sent). */
export function recordShare(db: Db, target: ShareTarget): RunShareRow {
  const now = Date.now();
  const where = and(eq(runShares.runId, target.runId), eq(runShares.serverUrl, target.serverUrl), eq(runShares.code, target.code));
  const existing = db.select().from(runShares).where(where).get();
  if (existing) {
    if (existing.status === 'sent') return existing;
    return db.update(runShares).set({ token: target.token, nickname: target.nickname, status: 'pending', updatedAt: now }).where(eq(runShares.id, existing.id)).returning().get();
  }
  return db
    .insert(runShares)
    .values({ ...target, status: 'pending', attempts: 0, lastError: null, remoteRunId: null, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

/** Writes the leader's answer (or its absence) to the row. */
export function settleShare(db: Db, id: number, outcome: UploadOutcome): RunShareRow {
  const row = db.select().from(runShares).where(eq(runShares.id, id)).get();
  const attempts = (row?.attempts ?? 0) + 1;
  const now = Date.now();
  const values =
    outcome.kind === 'stored'
      ? { status: 'sent' as const, remoteRunId: outcome.runId, lastError: null }
      : outcome.kind === 'rejected'
        ? { status: 'rejected' as const, lastError: `HTTP ${outcome.status}: ${outcome.message}` }
        : { status: 'pending' as const, lastError: outcome.message };
  return db.update(runShares).set({ ...values, attempts, updatedAt: now }).where(eq(runShares.id, id)).returning().get();
}

export function pendingShares(db: Db): RunShareRow[] {
  return db.select().from(runShares).where(eq(runShares.status, 'pending')).orderBy(asc(runShares.id)).all();
}
