// The workshop's HTTP endpoints as plain functions of a Request (Web API), so the route files under
// app/api/workshops/ stay one line each. Every error body is { error: "<the problem and the fix>" }.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { workshopManifest } from '../records/workshop';
import type { WorkshopRow } from '../db/schema';
import { getDashboardWorkshopStore } from '../db/pg/dashboardWorkshopStore';
import type { WorkshopStore } from '../db/pg/workshopStore';
import { describeUploadIssue, runUploadSchema } from './runUpload';
import { progressSchema } from './recordProgress';
import { bearerToken, uploadTokenMatches } from './uploadToken';
import { clientAddress, createRateLimiter, type RateLimiter } from './rateLimit';
import { readLimitedBody } from './readLimitedBody';
import { PROGRESS_MAX_BYTES, PROGRESS_PER_MINUTE, UPLOAD_MAX_BYTES, UPLOADS_PER_MINUTE } from './uploadLimits';
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

/** The workshop read through the dashboard's read-only store (SQLite or PostgreSQL), or the 404/503 answer. */
async function readWorkshop(code: string): Promise<{ store: WorkshopStore; workshop: WorkshopRow } | Response> {
  const got = await getDashboardWorkshopStore('read');
  if (!got.ok) return error(503, got.reason);
  const workshop = await got.store.getWorkshopByCode(code);
  return workshop ? { store: got.store, workshop } : unknownWorkshop(code);
}

export async function getManifest(code: string): Promise<Response> {
  const found = await readWorkshop(code);
  if (found instanceof Response) return found;
  return Response.json(workshopManifest(found.workshop), { headers: NO_STORE });
}

/** The board, its energy labels in `?lang=` (en or fr; English by default). */
export async function getLeaderboard(request: Request, code: string): Promise<Response> {
  const found = await readWorkshop(code);
  if (found instanceof Response) return found;
  const lang = new URL(request.url).searchParams.get('lang');
  return Response.json(await found.store.getBoard(found.workshop, isLang(lang) ? lang : 'en'), { headers: NO_STORE });
}

/** A served model file, whole or from a byte offset (`Range: bytes=N-` or `bytes=N-M`), streamed from disk. */
export async function getModelFile(request: Request, code: string, sha256: string): Promise<Response> {
  const found = await readWorkshop(code);
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
  store: WorkshopStore;
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
  const conn = await getDashboardWorkshopStore('write');
  if (!conn.ok) return error(503, conn.reason);
  const workshop = await conn.store.getWorkshopByCode(code);
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
  return { store: conn.store, workshop, body: parsed.data };
}

export async function postRun(request: Request, code: string): Promise<Response> {
  const got = await readAuthorised(request, code, uploadLimiter(), UPLOADS_PER_MINUTE, UPLOAD_MAX_BYTES, runUploadSchema, describeUploadIssue);
  if (got instanceof Response) return got;
  let result;
  try {
    result = await got.store.ingestRun(got.workshop, got.body);
  } catch (err) {
    // Rolled back: nothing of this upload was stored, and the participant's queue will retry it.
    return error(500, `the run could not be stored (${(err as Error).message}); nothing was kept, retry with wattbench share --pending`);
  }
  await got.store.recordProgress(got.workshop.id, { clientId: got.body.clientId, nickname: got.body.nickname, phase: 'done' });
  return Response.json({ runId: result.runId, duplicate: result.duplicate }, { status: result.duplicate ? 200 : 201, headers: NO_STORE });
}

export async function postProgress(request: Request, code: string): Promise<Response> {
  const got = await readAuthorised(request, code, progressLimiter(), PROGRESS_PER_MINUTE, PROGRESS_MAX_BYTES, progressSchema, (e) => {
    const issue = e.issues[0];
    return `invalid progress report: ${issue.path.join('.') || 'body'}: ${issue.message}`;
  });
  if (got instanceof Response) return got;
  await got.store.recordProgress(got.workshop.id, got.body);
  return new Response(null, { status: 204, headers: NO_STORE });
}
