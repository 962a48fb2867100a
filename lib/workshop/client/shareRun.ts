// Publishing one stored run to a leader: the outbox row first (the run is already in the local database), then
// the upload built from the one read layer, then the leader's answer into the row.
import type { Db } from '../../db/openDb';
import type { RunShareRow } from '../../db/schema';
import { buildRunUpload } from '../runUpload';
import { postRun, type UploadOutcome } from './leaderClient';
import { pendingShares, recordShare, settleShare, type ShareTarget } from './uploadQueue';

export interface ShareResult {
  row: RunShareRow;
  outcome: UploadOutcome;
}

/** Tries the upload of the run once; whatever happens, the outbox row says where it stands. */
export async function shareRun(db: Db, target: ShareTarget): Promise<ShareResult> {
  const row = recordShare(db, target);
  if (row.status === 'sent' && row.remoteRunId !== null) return { row, outcome: { kind: 'stored', runId: row.remoteRunId, duplicate: true } };
  return sendShare(db, row);
}

async function sendShare(db: Db, row: RunShareRow): Promise<ShareResult> {
  let body: string;
  try {
    body = JSON.stringify(await buildRunUpload(db, row.runId, { clientId: row.clientId, nickname: row.nickname }));
  } catch (err) {
    // A run that cannot be uploaded (not completed, say) will never pass: rejected, with the reason.
    const outcome: UploadOutcome = { kind: 'rejected', status: 0, message: (err as Error).message };
    return { row: settleShare(db, row.id, outcome), outcome };
  }
  const outcome = await postRun({ origin: row.serverUrl, code: row.code }, row.token, body);
  return { row: settleShare(db, row.id, outcome), outcome };
}

/** Retries every pending upload of this database, oldest first, once each. */
export async function retryPendingShares(db: Db, onResult?: (result: ShareResult) => void): Promise<ShareResult[]> {
  const results: ShareResult[] = [];
  for (const row of pendingShares(db)) {
    const result = await sendShare(db, row);
    onResult?.(result);
    results.push(result);
  }
  return results;
}
