// GET /api/workshops/CODE/models/SHA256 — a served model file, streamed, resumable (Range → 206), ETag = sha256.
import { getModelFile } from '@/lib/workshop/workshopRoutes';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ code: string; sha256: string }> };

export async function GET(request: Request, { params }: Params): Promise<Response> {
  const { code, sha256 } = await params;
  return getModelFile(request, code, sha256);
}

export async function HEAD(request: Request, { params }: Params): Promise<Response> {
  const { code, sha256 } = await params;
  return getModelFile(request, code, sha256);
}
