// The participant's outbox (`run_shares`): every run this database pushes to a leader gets a row before the
// upload is tried, so a failure leaves it `pending` for the next `join` or `share --pending`; the leader's answer
// sets it `sent` (with the leader's run id) or `rejected` (a 4xx: retrying would not help).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/openDb';
import { runShares, type RunShareRow } from '../../db/schema';
import type { UploadOutcome } from './leaderClient';

/**
 * This database's id towards leaders: the one its first share used, else one derived from this machine
 * (`/etc/machine-id`, else the host name) and the database file's real path, so that a join that publishes
 * nothing and the next join are the same machine on the room's page. A hash: neither is sent as such.
 */
export function clientIdOf(db: Db): string {
  const row = db.select({ clientId: runShares.clientId }).from(runShares).orderBy(asc(runShares.id)).limit(1).get();
  if (row) return row.clientId;
  let machine = os.hostname();
  try {
    machine = fs.readFileSync('/etc/machine-id', 'utf8').trim() || machine;
  } catch {
    // No machine-id (macOS, Windows, some containers): the host name stands in.
  }
  const file = db.$client.name;
  let where = file;
  try {
    where = fs.realpathSync(file);
  } catch {
    where = path.resolve(file);
  }
  const hex = createHash('sha256').update(`wattbench-client\0${machine}\0${where}`).digest('hex');
  // UUID layout (version 8: custom), the shape leaders expect of a client id.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
