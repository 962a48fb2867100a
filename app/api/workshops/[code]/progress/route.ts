// POST /api/workshops/CODE/progress — a participant machine's phase and progress (Bearer token): 204.
import { postProgress } from '@/lib/workshop/workshopRoutes';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ code: string }> }): Promise<Response> {
  return postProgress(request, (await params).code);
}
