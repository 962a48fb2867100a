// GET /api/live[?run=ID] — read-only JSON state of the run in progress (or of run ID), polled by the Live page.
import { getDashboardDb } from '@/lib/queries/dashboardDb';
import { getLiveRun } from '@/lib/queries/getLiveRun';
import { parseId } from '@/lib/queries/params';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

export function GET(request: Request): Response {
  const raw = new URL(request.url).searchParams.get('run');
  let runId: number | null = null;
  if (raw !== null && raw !== '') {
    runId = parseId(raw);
    if (runId === null) return Response.json({ error: 'run must be a positive integer' }, { status: 400, headers: NO_STORE });
  }
  const conn = getDashboardDb();
  if (conn.status === 'missing') return Response.json({ live: null, database: 'missing', reason: conn.reason }, { headers: NO_STORE });
  const live = getLiveRun(conn.db, runId);
  if (runId !== null && live === null) return Response.json({ error: `no run ${runId}` }, { status: 404, headers: NO_STORE });
  return Response.json({ live }, { headers: NO_STORE });
}
