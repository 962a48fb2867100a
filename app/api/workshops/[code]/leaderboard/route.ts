// GET /api/workshops/CODE/leaderboard — machines with their progress, the leaderboard and the room's totals
// (`?lang=fr` for French energy labels; polled by the workshop page; `wattbench join` shows where a result would rank before publishing).
import { getLeaderboard } from '@/lib/workshop/workshopRoutes';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }): Promise<Response> {
  return getLeaderboard(request, (await params).code);
}
