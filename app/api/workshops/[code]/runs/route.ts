// POST /api/workshops/CODE/runs — a participant's run upload (Bearer token): 201 stored, 200 already stored.
// The only write of the dashboard besides progress reports (lib/workshop/workshopRoutes).
import { postRun } from '@/lib/workshop/workshopRoutes';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ code: string }> }): Promise<Response> {
  return postRun(request, (await params).code);
}
