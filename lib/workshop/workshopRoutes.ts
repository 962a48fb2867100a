// The workshop's HTTP endpoints as plain functions of a Request (Web API), so the route files under
// app/api/workshops/ stay one line each. Every error body is { error: "<the problem and the fix>" }.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { getDashboardDb } from '../queries/dashboardDb';
import { getWorkshopBoard, getWorkshopByCode, workshopManifest } from '../records/workshop';
import type { WorkshopRow } from '../db/schema';
import type { Db } from '../db/openDb';
import { describeUploadIssue, runUploadSchema } from './runUpload';
import { ingestRun } from './ingestRun';
import { progressSchema, recordProgress } from './recordProgress';
import { bearerToken, uploadTokenMatches } from './uploadToken';
import { clientAddress, createRateLimiter, type RateLimiter } from './rateLimit';
import { readLimitedBody } from './readLimitedBody';
import { PROGRESS_MAX_BYTES, PROGRESS_PER_MINUTE, UPLOAD_MAX_BYTES, UPLOADS_PER_MINUTE } from './uploadLimits';
import { getWorkshopWriteDb } from './workshopWriteDb';
import type { z } from 'zod';
import { isLang } from '../i18n/lang';

const NO_STORE = { 'Cache-Control': 'no-store' };

function error(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers: { ...NO_STORE, ...headers } });
}

// One limiter per server process, kept across Next's module reloads.
const limiters = globalThis as typeof globalThis & { __wattbenchUploadLimiter?: RateLimiter; __wattbenchProgressLimiter?: RateLimiter };
const uploadLimiter = () => (limiters.__wattbenchUploadLimiter ??= createRateLimiter(UPLOADS_PER_MINUTE));
const progressLimiter = () => (limiters.__wattbenchProgressLimiter ??= createRateLimiter(PROGRESS_PER_MINUTE));

const unknownWorkshop = (code: string) => error(404, `no workshop ${code} on this server; check the join link the leader shows`);

/** The workshop read through the dashboard's read-only handle, or the 404/503 answer. */
function readWorkshop(code: string): { db: Db; workshop: WorkshopRow } | Response {
  const conn = getDashboardDb();
  if (conn.status === 'missing') return error(503, `the leader's database is not available (${conn.reason}); restart wattbench workshop`);
  const workshop = getWorkshopByCode(conn.db, code);
  return workshop ? { db: conn.db, workshop } : unknownWorkshop(code);
}

export function getManifest(code: string): Response {
  const found = readWorkshop(code);
  if (found instanceof Response) return found;
  return Response.json(workshopManifest(found.workshop), { headers: NO_STORE });
}

/** The board, its energy labels in `?lang=` (en or fr; English by default). */
export function getLeaderboard(request: Request, code: string): Response {
  const found = readWorkshop(code);
  if (found instanceof Response) return found;
  const lang = new URL(request.url).searchParams.get('lang');
  return Response.json(getWorkshopBoard(found.db, found.workshop, isLang(lang) ? lang : 'en'), { headers: NO_STORE });
}

/** A served model file, whole or from a byte offset (`Range: bytes=N-` or `bytes=N-M`), streamed from disk. */
export function getModelFile(request: Request, code: string, sha256: string): Response {
  const found = readWorkshop(code);
  if (found instanceof Response) return found;
  const model = found.workshop.models.find((m) => m.sha256 === sha256);
  if (!model) return error(404, `workshop ${code} serves no model ${sha256.slice(0, 64)}; fetch the manifest for the model URLs`);
  let size: number;
  try {
    size = fs.statSync(model.path).size;
  } catch {
    return error(410, `the leader's copy of ${model.fileName} is gone; ask the leader to restart the workshop`);
  }
  if (size !== model.bytes) return error(410, `the leader's copy of ${model.fileName} changed since the workshop began; ask the leader to restart it`);
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    ETag: `"${model.sha256}"`,
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${model.fileName.replace(/[^\w.-]/g, '_')}"`,
    'Cache-Control': 'no-cache',
  };
  const range = request.headers.get('range');
  let start = 0;
  let end = size - 1;
  let status = 200;
  // If-Range with another validator: the file the client started is not this one, so it gets the whole file.
  const ifRange = request.headers.get('if-range');
  if (range && (!ifRange || ifRange === headers.ETag)) {
    const m = range.match(/^bytes=(\d+)-(\d*)$/);
    if (!m) return error(416, `unsupported Range "${range.slice(0, 80)}"; send bytes=START- or bytes=START-END`, { 'Content-Range': `bytes */${size}` });
    start = Number(m[1]);
    end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      return error(416, `Range starts at byte ${start} but ${model.fileName} has ${size} bytes; restart the download from 0`, { 'Content-Range': `bytes */${size}` });
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['Content-Length'] = String(end - start + 1);
  if (request.method === 'HEAD' || size === 0) return new Response(null, { status, headers });
  const stream = Readable.toWeb(fs.createReadStream(model.path, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, headers });
}

interface AuthorisedBody<T> {
  db: Db;
  workshop: WorkshopRow;
  body: T;
}

/** Rate limit, workshop, token, size, media type, JSON and schema, in that order; the first failure answers. */
async function readAuthorised<S extends z.ZodType>(
  request: Request,
  code: string,
  limiter: RateLimiter,
  perMinute: number,
  maxBytes: number,
  schema: S,
  describe: (e: z.ZodError) => string,
): Promise<AuthorisedBody<z.output<S>> | Response> {
  const wait = limiter.take(clientAddress(request.headers));
  if (wait !== null) return error(429, `more than ${perMinute} requests a minute from this address; retry in ${wait} s`, { 'Retry-After': String(wait) });
  const conn = getWorkshopWriteDb();
  if (!conn.ok) return error(503, conn.reason);
  const workshop = getWorkshopByCode(conn.db, code);
  if (!workshop) return unknownWorkshop(code);
  const token = bearerToken(request.headers.get('authorization'));
  if (!token) return error(401, 'missing upload token; send Authorization: Bearer TOKEN with the token from the join link (after #)');
  if (!uploadTokenMatches(token, workshop.tokenSha256)) return error(401, `wrong upload token for workshop ${code}; use the token from the leader's join link (after #)`);
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return error(415, `the body must be JSON (Content-Type: application/json, got ${type ? type.slice(0, 60) : 'none'})`);
  const body = await readLimitedBody(request, maxBytes);
  if (!body.ok) return error(413, `the body is larger than the limit of ${maxBytes} bytes (${maxBytes / 1024 / 1024 >= 1 ? `${maxBytes / 1024 / 1024} MiB` : `${maxBytes / 1024} KiB`}); share a run with fewer repetitions or prompts`);
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch (err) {
    return error(400, `the body is not valid JSON (${(err as Error).message}); send the upload wattbench builds`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return error(400, describe(parsed.error));
  return { db: conn.db, workshop, body: parsed.data };
}

export async function postRun(request: Request, code: string): Promise<Response> {
  const got = await readAuthorised(request, code, uploadLimiter(), UPLOADS_PER_MINUTE, UPLOAD_MAX_BYTES, runUploadSchema, describeUploadIssue);
  if (got instanceof Response) return got;
  let result;
  try {
    result = ingestRun(got.db, got.workshop, got.body);
  } catch (err) {
    // Rolled back: nothing of this upload was stored, and the participant's queue will retry it.
    return error(500, `the run could not be stored (${(err as Error).message}); nothing was kept, retry with wattbench share --pending`);
  }
  recordProgress(got.db, got.workshop.id, { clientId: got.body.clientId, nickname: got.body.nickname, phase: 'done' });
  return Response.json({ runId: result.runId, duplicate: result.duplicate }, { status: result.duplicate ? 200 : 201, headers: NO_STORE });
}

export async function postProgress(request: Request, code: string): Promise<Response> {
  const got = await readAuthorised(request, code, progressLimiter(), PROGRESS_PER_MINUTE, PROGRESS_MAX_BYTES, progressSchema, (e) => {
    const issue = e.issues[0];
    return `invalid progress report: ${issue.path.join('.') || 'body'}: ${issue.message}`;
  });
  if (got instanceof Response) return got;
  recordProgress(got.db, got.workshop.id, got.body);
  return new Response(null, { status: 204, headers: NO_STORE });
}
