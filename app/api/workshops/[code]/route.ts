// GET /api/workshops/CODE — the workshop's manifest (suite, model files to download), for `wattbench join`.
import { getManifest } from '@/lib/workshop/workshopRoutes';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ code: string }> }): Promise<Response> {
  return getManifest((await params).code);
}
