// The participant's side of the workshop HTTP API (docs: workshop contract): the manifest, progress reports, the
// leaderboard and run uploads. Answers are classified so callers know what to retry: a refused upload (4xx) is
// final, a leader out of reach or failing (network error, 5xx, 429) is worth queueing.
import { z } from 'zod';
import { WattbenchError } from '../../errors/WattbenchError';
import { causeOf } from './downloadModel';
import type { JoinTarget } from './joinLink';

export const manifestSchema = z.object({
  manifestVersion: z.literal(1),
  code: z.string(),
  name: z.string(),
  uploadSchemaVersion: z.number().int(),
  suite: z.object({ name: z.string(), definition: z.unknown() }),
  models: z.array(z.object({ fileName: z.string().regex(/^(?!\.\.?$)[^/\\,\p{Cc}]{1,255}$/u, 'a plain file name'), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative(), url: z.string() })).min(1),
});
export type WorkshopManifest = z.infer<typeof manifestSchema>;

export type ProgressPhase = 'joined' | 'downloading' | 'running' | 'publishing' | 'done' | 'failed';
export interface ProgressReport {
  clientId: string;
  nickname: string;
  phase: ProgressPhase;
  done?: number;
  total?: number;
  detail?: string;
}

export type UploadOutcome =
  | { kind: 'stored'; runId: number; duplicate: boolean }
  /** The leader refused it for good (bad token, invalid, too large): retrying would get the same answer. */
  | { kind: 'rejected'; status: number; message: string }
  /** Not stored, may pass later: the leader is out of reach, failing or busy. */
  | { kind: 'failed'; message: string };

const TIMEOUT_MS = 30_000;

function workshopUrl(target: Pick<JoinTarget, 'origin' | 'code'>, rest = ''): string {
  return `${target.origin}/api/workshops/${encodeURIComponent(target.code)}${rest}`;
}

/** The `error` line of a JSON error body, else the status text. */
async function errorLine(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not JSON: a proxy's page, say.
  }
  return `HTTP ${res.status} ${res.statusText}`.trim();
}

export async function fetchManifest(target: Pick<JoinTarget, 'origin' | 'code'>): Promise<WorkshopManifest> {
  let res: Response;
  try {
    res = await fetch(workshopUrl(target), { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new WattbenchError(`cannot reach the leader at ${target.origin} (${causeOf(err)}); check that you are on the same network and the leader's \`wattbench workshop\` is running`);
  }
  if (res.status === 404) throw new WattbenchError(`the leader at ${target.origin} has no workshop ${target.code}; check the code in the join link`, 2);
  if (!res.ok) throw new WattbenchError(`the leader at ${target.origin} answered HTTP ${res.status} for workshop ${target.code} (${await errorLine(res)})`);
  const parsed = manifestSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new WattbenchError(`the leader at ${target.origin} sent a workshop description this wattbench does not understand; use the same wattbench version as the leader`);
  return parsed.data;
}

/** Best effort: the live list on the projector. A failure is not the participant's problem. */
export async function postProgress(target: JoinTarget, report: ProgressReport): Promise<void> {
  if (target.token === null) return;
  try {
    const res = await fetch(workshopUrl(target, '/progress'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
      body: JSON.stringify(report),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
  } catch {
    // The leader may be briefly out of reach; the run goes on.
  }
}

/** The room's leaderboard as the workshop page shows it (fields are the leader's); null when unreachable. */
export async function fetchLeaderboard(target: Pick<JoinTarget, 'origin' | 'code'>): Promise<unknown> {
  try {
    const res = await fetch(workshopUrl(target, '/leaderboard'), { signal: AbortSignal.timeout(TIMEOUT_MS) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/** POSTs a run upload (already serialized) with the token. */
export async function postRun(target: Pick<JoinTarget, 'origin' | 'code'>, token: string, body: string): Promise<UploadOutcome> {
  let res: Response;
  try {
    res = await fetch(workshopUrl(target, '/runs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(120_000),
    });
  } catch (err) {
    return { kind: 'failed', message: `cannot reach the leader at ${target.origin} (${causeOf(err)})` };
  }
  if (res.status === 200 || res.status === 201) {
    const answer = (await res.json().catch(() => null)) as { runId?: unknown; duplicate?: unknown } | null;
    if (answer && typeof answer.runId === 'number') return { kind: 'stored', runId: answer.runId, duplicate: answer.duplicate === true };
    return { kind: 'failed', message: `the leader at ${target.origin} accepted the upload but answered something unexpected` };
  }
  const message = await errorLine(res);
  if (res.status === 429 || res.status >= 500) return { kind: 'failed', message: `the leader at ${target.origin} answered ${res.status}: ${message}` };
  return { kind: 'rejected', status: res.status, message };
}
