// `wattbench run --endpoint` through the real CLI against a real HTTP server in its own process
// (tests/fixtures/llmServer.mjs) streaming real tokens from stories260K, in llama-server's and Ollama's wire formats.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTempDir } from '../helpers/paths';
import { runCli, startCli } from '../helpers/runCli';
import { waitFor } from '../helpers/waitFor';
import { queryDb } from '../helpers/queryDb';
import { startTestServer, type TestServer } from '../helpers/testServer';

/** A port nothing listens on: one the system just handed out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const COMMON = ['--suite', 'smoke', '--warmup', '0', '--idle-seconds', '0', '--power', 'estimate'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parsed --json output is checked field by field
type Json = Record<string, any>;

describe('run --endpoint against a llama-server (OpenAI-compatible API, auto-detected)', () => {
  const dir = makeTempDir('server-openai');
  const db = path.join(dir, 'runs.db');
  let server: TestServer;
  let json: Json;

  beforeAll(async () => {
    server = await startTestServer({ flavour: 'llama-server' });
    const res = await runCli(['run', '--endpoint', server.url, '--model', 'stories260K.gguf', '--reps', '2', '--db', db, '--json', ...COMMON]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    json = JSON.parse(res.stdout);
  });
  afterAll(() => server?.stop());

  it('records the server: API, kind, version, model as served, request settings, and its process found by port', () => {
    expect(json.status).toBe('completed');
    expect(json.server).toMatchObject({
      endpoint: `${server.url}/`,
      api: 'openai',
      kind: 'llama-server',
      version: 'b9999-fixture',
      model: 'stories260K.gguf',
      location: 'local',
      pids: [server.pid],
      pidOrigin: 'port',
      request: { temperature: 0, seed: 42, maxTokensCap: null, stream: true },
      streamIdleTimeoutS: 30,
    });
    expect(json.server.modelInfo.meta.n_params).toBe(292_000);
    expect(json.model).toMatchObject({ file: 'stories260K.gguf', parameters: 292_000, type: 'F32' });
    // llama-server: no prompt cache across repetitions (each one processes its whole prompt, as a local run does).
    expect(json.settings.requestExample).toMatchObject({ stream: true, stream_options: { include_usage: true }, temperature: 0, seed: 42, model: 'stories260K.gguf', cache_prompt: false });
    expect(queryDb<{ endpoint: string }>(db, 'SELECT endpoint FROM runs')).toEqual([{ endpoint: `${server.url}/` }]);
  });

  it('stores tokens from the usage figures and the server timings beside each result', () => {
    expect(json.results).toHaveLength(4);
    for (const r of json.results) {
      expect(r.serverTimings.source).toBe('llama-server');
      // The fixture's usage.completion_tokens and timings.predicted_n are the same count of generated tokens.
      expect(r.outputTokens).toBe(r.serverTimings.genTokens);
      expect(r.promptTokens).toBe(r.serverTimings.promptTokens);
      expect(r.outputTokens).toBeGreaterThan(1);
      expect(r.genTokensPerSec).toBeGreaterThan(0);
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(r.output.length).toBeGreaterThan(0);
      expect(r.firstTokenAt).toBeGreaterThanOrEqual(r.startedAt);
      expect(r.endedAt).toBeGreaterThanOrEqual(r.firstTokenAt);
    }
    const stored = queryDb<{ server_timings: string }>(db, 'SELECT server_timings FROM results');
    expect(JSON.parse(stored[0].server_timings).raw).toHaveProperty('predicted_ms');
  });

  it('accounts energy with the server process in the CPU attribution', () => {
    expect(json.energy.totalJ).toBeGreaterThan(0);
    expect(json.energy.cpuLoad.processPercent).toBeGreaterThan(0);
  });

  it('is labelled a server run by show and list', async () => {
    const show = await runCli(['show', String(json.id), '--db', db]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('server run');
    expect(show.stdout).toMatch(/Server:\s+llama-server b9999-fixture at http:\/\/127\.0\.0\.1:\d+\/ \(OpenAI-compatible API, this machine\)/);
    expect(show.stdout).toMatch(/Server-timed generation \(mean\):\s+[\d,.]+ tok\/s/);
    expect(show.stdout).toMatch(new RegExp(`Boundary:.*the server \\(pid ${server.pid}\\)`));
    const list = await runCli(['list', '--db', db]);
    expect(list.stdout).toContain(`stories260K.gguf (server ${server.url}/)`);
    expect(JSON.parse((await runCli(['list', '--db', db, '--json'])).stdout)[0].endpoint).toBe(`${server.url}/`);
  });

  it('sends raw prompts to /v1/completions with --prompt-format completion, and --server-pid names the process', async () => {
    const res = await runCli(['run', '--endpoint', `${server.url}/v1`, '--model', 'stories260K.gguf', '--reps', '1', '--prompt-format', 'completion', '--server-pid', String(server.pid), '--db', db, '--json', ...COMMON]);
    expect(res.code).toBe(0);
    const run = JSON.parse(res.stdout);
    expect(run.settings.promptFormat).toBe('completion');
    expect(run.settings.requestExample).toHaveProperty('prompt');
    expect(run.server).toMatchObject({ pids: [server.pid], pidOrigin: 'flag' });
    for (const r of run.results) expect(r.outputTokens).toBe(r.serverTimings.genTokens);
  });

  it('refuses a model the server does not serve, and a server that is not there: exit 2, one line, nothing written', async () => {
    const before = queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM runs')[0].n;
    const wrong = await runCli(['run', '--endpoint', server.url, '--model', 'llama3', '--db', db, ...COMMON]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toContain('does not serve model "llama3" (it serves stories260K.gguf); pass --model stories260K.gguf');
    expect(queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM runs')[0].n).toBe(before);

    const freshDb = path.join(dir, 'never.db');
    const port = await closedPort();
    const closed = await runCli(['run', '--endpoint', `http://127.0.0.1:${port}`, '--model', 'x', '--db', freshDb, ...COMMON]);
    expect(closed.code).toBe(2);
    expect(closed.stderr).toMatch(new RegExp(`cannot reach the server at http://127\\.0\\.0\\.1:${port}/ \\(.*ECONNREFUSED.*\\); start it, or pass the right --endpoint`));
    expect(fs.existsSync(freshDb)).toBe(false);
  });
});

describe('run --endpoint against Ollama (native API, auto-detected; and its /v1 with --api openai)', () => {
  const dir = makeTempDir('server-ollama');
  const db = path.join(dir, 'runs.db');
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ flavour: 'ollama' });
  });
  afterAll(() => server?.stop());

  it('streams NDJSON from /api/chat and keeps Ollama\'s counts and durations', async () => {
    // "stories" resolves to stories:260k's tag like Ollama's names: the fixture serves "stories:260k".
    const res = await runCli(['run', '--endpoint', server.url, '--model', 'stories:260k', '--reps', '1', '--db', db, '--json', ...COMMON]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const run = JSON.parse(res.stdout);
    expect(run.server).toMatchObject({ api: 'ollama', kind: 'ollama', version: '0.12.3', model: 'stories:260k', pids: [server.pid] });
    expect(run.server.modelInfo.details).toMatchObject({ family: 'llama', quantization_level: 'F32' });
    // Ollama states the size as "260K": the model row gets its count, family and quantisation.
    expect(run.model).toMatchObject({ file: 'stories:260k', parameters: 260_000, architecture: 'llama', type: 'F32' });
    expect(run.settings.requestExample).toMatchObject({ stream: true, options: { temperature: 0, seed: 42 } });
    for (const r of run.results) {
      expect(r.serverTimings).toMatchObject({ source: 'ollama', loadMs: 1 });
      expect(r.outputTokens).toBe(r.serverTimings.genTokens);
      expect(r.serverTimings.raw).toHaveProperty('eval_duration');
    }
  });

  it('uses Ollama\'s OpenAI-compatible /v1 with --api openai (no timings there)', async () => {
    const res = await runCli(['run', '--endpoint', server.url, '--api', 'openai', '--model', 'stories:260k', '--reps', '1', '--db', db, '--json', ...COMMON]);
    expect(res.code).toBe(0);
    const run = JSON.parse(res.stdout);
    expect(run.server).toMatchObject({ api: 'openai', kind: 'ollama', version: '0.12.3' });
    for (const r of run.results) {
      expect(r.serverTimings).toBeNull();
      expect(r.outputTokens).toBeGreaterThan(0);
    }
  });
});

describe('a server that misbehaves mid-run: the run ends failed, with what was gathered', () => {
  const dir = makeTempDir('server-broken');
  const cases = [
    { flavour: 'llama-server', mode: 'non-streaming', timeout: '30', model: 'stories260K.gguf', message: 'the server did not stream its reply (content-type application/json, expected text/event-stream)' },
    { flavour: 'ollama', mode: 'non-streaming', timeout: '30', model: 'stories:260k', message: 'the server did not stream its reply (content-type application/json, expected application/x-ndjson)' },
    { flavour: 'llama-server', mode: 'stall', timeout: '1', model: 'stories260K.gguf', message: 'the stream stalled (no data for 1 s)' },
    { flavour: 'ollama', mode: 'break', timeout: '10', model: 'stories:260k', message: 'the connection broke mid-stream' },
    { flavour: 'llama-server', mode: 'break', timeout: '10', model: 'stories260K.gguf', message: 'the connection broke mid-stream' },
    { flavour: 'llama-server', mode: 'no-usage', timeout: '10', model: 'stories260K.gguf', message: 'ended without token counts (no usage in the stream)' },
    { flavour: 'ollama', mode: 'no-usage', timeout: '10', model: 'stories:260k', message: 'ended without token counts (no usage in the stream)' },
  ] as const;
  for (const c of cases) {
    it(`${c.flavour}, ${c.mode}`, async () => {
      const server = await startTestServer({ flavour: c.flavour, mode: c.mode });
      try {
        const db = path.join(dir, `${c.flavour}-${c.mode}.db`);
        const res = await runCli(['run', '--endpoint', server.url, '--model', c.model, '--reps', '1', '--stream-timeout', c.timeout, '--db', db, ...COMMON]);
        expect(res.code).toBe(1);
        expect(res.stderr).toContain(c.message);
        expect(res.stderr.trim().split('\n')).toHaveLength(1);
        const [run] = queryDb<{ status: string; error: string; endpoint: string }>(db, 'SELECT status, error, endpoint FROM runs');
        expect(run.status).toBe('failed');
        expect(run.error).toContain(c.message);
        expect(queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM samples')[0].n).toBeGreaterThan(0);
      } finally {
        await server.stop();
      }
    });
  }
});

describe('Ctrl-C during a server run', () => {
  it('stops the request, keeps what was gathered, and stores the run interrupted (exit 130)', async () => {
    // The server stalls mid-reply: the run is waiting on the stream when the signal comes.
    const server = await startTestServer({ flavour: 'llama-server', mode: 'stall' });
    try {
      const db = path.join(makeTempDir('server-interrupt'), 'runs.db');
      const { child, done } = startCli(['run', '--endpoint', server.url, '--model', 'stories260K.gguf', '--reps', '1', '--stream-timeout', '600', '--db', db, ...COMMON]);
      // The file appears before its tables: a query that fails is "not yet".
      const flushed = (): boolean => {
        try {
          return queryDb<{ n: number }>(db, 'SELECT count(*) AS n FROM samples')[0].n > 0;
        } catch {
          return false;
        }
      };
      await waitFor('the run to flush its first samples', flushed, { timeoutMs: 60_000, everyMs: 100 });
      child.kill('SIGINT');
      const res = await done;
      expect(res.code).toBe(130);
      const [run] = queryDb<{ status: string; error: string }>(db, 'SELECT status, error FROM runs');
      expect(run.status).toBe('interrupted');
      expect(run.error).toContain('SIGINT');
    } finally {
      await server.stop();
    }
  });
});
