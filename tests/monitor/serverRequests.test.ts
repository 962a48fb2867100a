// Per-request energy of a watched server, on real processes: the fixture server (real tokens from a tiny model,
// llama-server's /slots and /metrics, Ollama's /api/ps in their wire formats) watched by `wattbench monitor` by
// pid (its port found from /proc) or by --endpoint, real requests sent to it, the counts read back from the
// SQLite file; and a server without counters, whose requests are "not counted" with the flag that fixes it.
// The counters are polled state (a request shorter than the poll interval may fall between two polls), so each
// request is sent once the monitor has seen the one before: the test checks the counting, not the poll's luck.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/paths';
import { startCli } from '../helpers/runCli';
import { runCliInProcess } from '../helpers/runCliInProcess';
import { queryDb } from '../helpers/queryDb';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { waitFor } from '../helpers/waitFor';
import { openDb } from '../../lib/db/openDb';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { findListeningPorts, loopbackHostFor } from '../../lib/endpoint/findListeningPids';
import { prometheusValue } from '../../lib/monitor/requestCounter';
import { findServerOfProcesses } from '../../lib/monitor/findWatchedServer';
import { describeNotCounted } from '../../lib/monitor/notCountedReason';
import type { MonitorRequests } from '../../lib/domain/jsonColumns';

const dir = makeTempDir('monitor-requests');
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

/** What the running monitor has stored so far (null before its run row exists). */
function storedRequests(db: string): MonitorRequests | null {
  try {
    const [row] = queryDb<{ runtime: string }>(db, 'SELECT runtime FROM runs WHERE id = 1');
    return row ? (JSON.parse(row.runtime).monitorRequests ?? null) : null;
  } catch {
    return null; // the file or its tables are not there yet
  }
}

const waitForStored = (db: string, what: string, check: (r: MonitorRequests) => boolean) =>
  waitFor(what, () => {
    const r = storedRequests(db);
    return r !== null && check(r) && r;
  }, { timeoutMs: 90_000, everyMs: 50 });

function readRecord(db: string) {
  const conn = openDb(db, { readonly: true });
  try {
    return getRunRecord(conn, 1);
  } finally {
    conn.$client.close();
  }
}

describe('monitor --pid on a llama-server (found by its listening port)', () => {
  const db = path.join(dir, 'llama.db');

  it('counts each request from /slots, the tokens from /metrics, and stores J/request = energy / requests', async () => {
    const server = await startTestServer({ flavour: 'llama-server', flags: ['--metrics'] });
    servers.push(server);
    // The reverse lookup the monitor uses: the pid's listening port.
    expect(findListeningPorts([server.pid]).map((p) => p.port)).toContain(server.port);

    const { child: cli, done } = startCli(['monitor', '--pid', String(server.pid), '--power', 'estimate', '--db', db]);
    await waitForStored(db, 'the first poll of the server', (r) => r.polls >= 1 && r.requests === 0);
    const usage = { prompt: 0, output: 0 };
    const N = 3;
    for (let i = 1; i <= N; i++) {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'stories260K.gguf', messages: [{ role: 'user', content: `Once upon a time ${i}` }], max_tokens: 6, temperature: 0 }),
      });
      const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
      usage.prompt += body.usage.prompt_tokens;
      usage.output += body.usage.completion_tokens;
      await waitForStored(db, `request ${i} counted`, (r) => r.requests === i);
    }
    // The tokens of a request count in /metrics when it ends: wait for the last one's.
    await waitForStored(db, 'the tokens of every request', (r) => r.outputTokens === usage.output);
    cli.kill('SIGINT');
    const res = await done;
    expect(res.code).toBe(130);
    expect(res.stderr).toMatch(/Counting the requests of llama-server at http:\/\/127\.0\.0\.1:\d+\//);

    const record = readRecord(db);
    const r = record.monitor!.requests;
    expect(r).toMatchObject({ kind: 'llama-server', origin: 'port', endpoint: `http://127.0.0.1:${server.port}/`, requests: N, exact: false, promptTokens: usage.prompt, outputTokens: usage.output, notCounted: null });
    expect(r.method).toMatch(/GET \/slots/);
    expect(r.tokensMethod).toMatch(/llamacpp:tokens_predicted_total/);
    const [run] = queryDb<{ total_j: number }>(db, 'SELECT total_j FROM runs WHERE id = 1');
    expect(run.total_j).toBeGreaterThan(0);
    expect(record.monitor!.joulesPerRequest).toBeCloseTo(run.total_j / N, 9);

    // The terminal summary and `show`: the count as a lower bound, J/request with the energy's label.
    for (const out of [res.stdout, (await runCliInProcess(['show', '1', '--db', db])).stdout]) {
      expect(out).toMatch(new RegExp(`Requests:\\s+at least ${N} served by llama-server at http://127\\.0\\.0\\.1:${server.port}/`));
      expect(out).toMatch(/Counted from:\s+llama-server GET \/slots .*polled every 1\.0 s: a request that starts and ends between two polls is missed/);
      expect(out).toMatch(/Energy per request:\s+at most [\d.,]+ J\/request\s+\[estimated \(model CodeCarbon CPU-load model .*\) · CPU package/);
      expect(out).toMatch(new RegExp(`Tokens \\(the server's\\):\\s+${usage.prompt} prompt, ${usage.output} generated`));
    }
    const json = await runCliInProcess(['show', '1', '--db', db, '--json']);
    expect(JSON.parse(json.stdout).monitor).toMatchObject({ requests: { requests: N }, joulesPerRequest: record.monitor!.joulesPerRequest });
  });
});

describe('monitor --endpoint on Ollama', () => {
  it('watches the processes serving the URL and counts requests from /api/ps expires_at', async () => {
    const server = await startTestServer({ flavour: 'ollama' });
    servers.push(server);
    const db = path.join(dir, 'ollama.db');
    const { child: cli, done } = startCli(['monitor', '--endpoint', server.url, '--power', 'estimate', '--db', db]);
    await waitForStored(db, 'the first poll of the server', (r) => r.polls >= 1);
    const N = 2;
    for (let i = 1; i <= N; i++) {
      const res = await fetch(`${server.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'stories:260k', prompt: `Once ${i}`, stream: false, options: { num_predict: 4 } }) });
      expect(res.status).toBe(200);
      await res.json();
      await waitForStored(db, `request ${i} counted`, (r) => r.requests === i);
    }
    cli.kill('SIGINT');
    const res = await done;
    expect(res.code).toBe(130);
    const record = readRecord(db);
    expect(record.monitor).toMatchObject({ target: 'pid', processes: [{ pid: server.pid }] });
    expect(record.monitor!.requests).toMatchObject({ kind: 'ollama', origin: 'flag', requests: N, promptTokens: null, outputTokens: null });
    expect(record.monitor!.requests.tokensMethod).toMatch(/Ollama exposes no token counters/);
    expect(res.stdout).toMatch(/Tokens \(the server's\):\s+not reported: Ollama exposes no token counters/);
    const [run] = queryDb<{ total_j: number }>(db, 'SELECT total_j FROM runs WHERE id = 1');
    expect(record.monitor!.joulesPerRequest).toBeCloseTo(run.total_j / N, 9);
  });
});

describe('a server without counters', () => {
  it('llama-server with /slots off and no --metrics: requests "not counted", with the flags that fix it', async () => {
    const server = await startTestServer({ flavour: 'llama-server', flags: ['--no-slots'] });
    servers.push(server);
    const db = path.join(dir, 'no-slots.db');
    const { done } = startCli(['monitor', '--pid', String(server.pid), '--duration', '2', '--power', 'estimate', '--db', db]);
    const res = await done;
    expect(res.code).toBe(0);
    const record = readRecord(db);
    const r = record.monitor!.requests;
    expect(r).toMatchObject({ kind: 'llama-server', requests: null, method: null });
    expect(r.notCounted).toBe(
      'llama-server’s GET /slots is off (HTTP 501: This server does not support slots endpoint. Start it with `--slots`), and it has no request counter elsewhere; restart it with --slots (recent builds: without --no-slots) to count requests',
    );
    expect(r.tokensMethod).toMatch(/GET \/metrics is off .*restart llama-server with --metrics/);
    expect(record.monitor!.joulesPerRequest).toBeNull();
    expect(res.stdout).toMatch(/Requests:\s+not counted: llama-server’s GET \/slots is off/);
    expect(r).toMatchObject({ notCountedCode: 'slotsOff', notCountedParams: { answer: 'HTTP 501: This server does not support slots endpoint. Start it with `--slots`' } });
    expect(res.stdout).not.toMatch(/Energy per request/);
  });
});

describe('monitor --endpoint bad input', () => {
  it.each([
    { endpoint: 'not-a-url', error: /--endpoint not-a-url is not a URL/ },
    { endpoint: 'http://127.0.0.1:1', error: /no process of this machine that wattbench can see listens on port 1 .*pass --pid N of the server as well/ },
    // With --pid, the URL is checked for itself: another host's server (TEST-NET-1, never this machine) is refused.
    { endpoint: 'http://192.0.2.1:8080', pid: true, error: /--endpoint http:\/\/192\.0\.2\.1:8080\/ is served by another host: its requests' energy is spent there, not on this machine/ },
  ] as Array<{ endpoint: string; pid?: boolean; error: RegExp }>)('$endpoint → exit 2, one line, nothing written', async ({ endpoint, pid, error }) => {
    const db = path.join(dir, `bad-${endpoint.replace(/\W/g, '')}.db`);
    const res = await runCliInProcess(['monitor', '--endpoint', endpoint, ...(pid ? ['--pid', String(process.pid)] : []), '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(error);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(db)).toBe(false);
  });
});

describe('a server that goes away during the monitor', () => {
  it('keeps what was counted, and says how many polls failed and why', async () => {
    const server = await startTestServer({ flavour: 'llama-server' });
    servers.push(server);
    const spinner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const db = path.join(dir, 'gone.db');
      // The watched process is another one: the server's end does not end the monitor.
      const { child: cli, done } = startCli(['monitor', '--pid', String(spinner.pid), '--endpoint', server.url, '--power', 'estimate', '--db', db]);
      await waitForStored(db, 'the first poll', (r) => r.polls >= 1 && r.requests === 0);
      await server.stop();
      await waitForStored(db, 'a failed poll', (r) => r.failedPolls >= 1);
      cli.kill('SIGINT');
      const res = await done;
      expect(res.code).toBe(130);
      const r = readRecord(db).monitor!.requests;
      expect(r).toMatchObject({ requests: 0, notCounted: null });
      expect(r.lastError).toMatch(/^GET \/slots: /);
      expect(res.stdout).toMatch(/Requests:\s+at least 0 served by llama-server/);
      expect(res.stdout).toMatch(/Failed polls:\s+\d+ of \d+ \(GET \/slots: /);
      expect(res.stdout).toMatch(/Energy per request:\s+none: no request was served in the window/);
      expect(readRecord(db).monitor!.joulesPerRequest).toBeNull();
    } finally {
      spinner.kill('SIGKILL');
    }
  });
});

describe('a process that listens but is no LLM server', () => {
  it('is "not a known server", naming its port, after probing it', async () => {
    // A real HTTP server in its own process that answers 404 to everything.
    const child = spawn(process.execPath, ['-e', "require('http').createServer((q, r) => { r.writeHead(404); r.end('nope'); }).listen(0, '127.0.0.1', function () { console.log('listening ' + this.address().port); })"], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const port = Number((await waitFor('the port', () => /listening (\d+)/.exec(out)))[1]);
      const lookup = await findServerOfProcesses([{ pid: child.pid!, name: 'node' }]);
      expect(lookup).toEqual({ server: null, reason: { code: 'unknownServer', params: { who: `pid ${child.pid} (node)`, ports: `:${port}` } } });
      expect(describeNotCounted(lookup.reason!, 'en')).toBe(`not a known server: pid ${child.pid} (node) listens on TCP :${port}, and none answers as Ollama, llama-server or an OpenAI-compatible server; pass --endpoint URL if it is one`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('the pieces', () => {
  it('reads a Prometheus counter summed over its label sets, and null when absent', () => {
    const text = '# HELP vllm:request_success_total x\n# TYPE vllm:request_success_total counter\nvllm:request_success_total{finished_reason="stop",model_name="m"} 3.0\nvllm:request_success_total{finished_reason="length",model_name="m"} 2.0\nllamacpp:n_decode_total 7\n';
    expect(prometheusValue(text, 'vllm:request_success_total')).toBe(5);
    expect(prometheusValue(text, 'llamacpp:n_decode_total')).toBe(7);
    expect(prometheusValue(text, 'llamacpp:tokens_predicted_total')).toBeNull();
  });

  it('turns /proc/net/tcp addresses into hosts this machine can reach', () => {
    expect(loopbackHostFor({ port: 1, addressHex: '0100007F', ipv6: false })).toBe('127.0.0.1');
    expect(loopbackHostFor({ port: 1, addressHex: '00000000', ipv6: false })).toBe('127.0.0.1');
    expect(loopbackHostFor({ port: 1, addressHex: '0A01A8C0', ipv6: false })).toBe('192.168.1.10');
    expect(loopbackHostFor({ port: 1, addressHex: '00000000000000000000000001000000', ipv6: true })).toBe('[::1]');
    expect(loopbackHostFor({ port: 1, addressHex: '0000000000000000FFFF00000100007F', ipv6: true })).toBe('127.0.0.1');
  });
});
