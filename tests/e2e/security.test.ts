// The dashboard on a network, through real HTTP against a real `wattbench serve`: the language switch never
// redirects off the site, every response carries the security headers, and Host names the server was not
// started for are refused (DNS rebinding).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/paths';
import { LANG_COOKIE } from '../../lib/i18n/lang';
import { freePort, runCli, startServe, stopServe } from './harness';

let dir = '';
let port = 0;
let serve: ChildProcess;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One GET on 127.0.0.1 with the Host header given (fetch would not let a test set it). */
function get(pathname: string, host = `127.0.0.1:${port}`): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

beforeAll(async () => {
  dir = makeTempDir('e2e-security');
  port = await freePort();
  serve = await startServe(['--port', String(port), '--db', path.join(dir, 'none.db'), '--allowed-host', 'bench.example']);
}, 600_000);

afterAll(async () => {
  await stopServe(serve);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A process's environment as the kernel holds it (what libuv read when it started its pool). */
function environOf(pid: number): Record<string, string> {
  const pairs = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

describe("the dashboard's server", () => {
  it("gets libuv's default thread pool back: the pool of one is for the CLI's process, which runs models", () => {
    const children = fs
      .readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(serve.pid);
        } catch {
          return false; // the process ended while we looked
        }
      })
      .map(Number);
    const server = children.find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nextServer.mjs'));
    expect(server).toBeDefined();
    expect(environOf(server!).UV_THREADPOOL_SIZE).toBeUndefined();
    expect(environOf(server!).WATTBENCH_POOL_FROM_ENTRY).toBeUndefined();
  });
});

describe('the language switch', () => {
  it('goes back to a path of this site, and to / for anything that would leave it', async () => {
    const cases: [string, string][] = [
      ['/runs/1', '/runs/1'],
      ['/runs/1?x=1', '/runs/1?x=1'],
      ['/%09/evil.com', '/'],
      ['/\t/evil.com', '/'],
      ['//evil.com', '/'],
      ['https://evil.com', '/'],
      ['/\\evil.com', '/'],
      ['/.//evil.com', '/'],
      // The URL API drops the line breaks: a harmless path, never a second header.
      ['/\r\nSet-Cookie: x=1', '/Set-Cookie:%20x=1'],
      ['evil.com', '/'],
    ];
    for (const [next, location] of cases) {
      // %09 stays encoded once more, so the server's query parser hands the route a real tab.
      const query = next === '/%09/evil.com' ? 'next=/%09/evil.com' : `next=${encodeURIComponent(next)}`;
      const res = await get(`/lang?to=fr&${query}`);
      expect(res.status, next).toBe(303);
      expect(res.headers.location, next).toBe(location);
      expect(res.headers['set-cookie'], next).toHaveLength(1);
      expect(res.headers['set-cookie']?.join(), next).toContain(`${LANG_COOKIE}=fr`);
    }
  });
});

describe('security headers', () => {
  it('are on pages, the API, static files and the language route', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    const script = /<script[^>]*\bsrc="(\/_next\/static\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeTruthy();
    for (const pathname of ['/', '/machines', '/runs/99999', '/api/live', '/lang?to=en', script!]) {
      const res = await get(pathname);
      expect(res.headers['x-content-type-options'], pathname).toBe('nosniff');
      expect(res.headers['x-frame-options'], pathname).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp, pathname).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(csp, pathname).toContain("frame-ancestors 'none'");
      expect(csp, pathname).not.toContain('unsafe-eval');
    }
  });

  it('give each page a fresh nonce, which every script of the page carries', async () => {
    const [a, b] = [await get('/'), await get('/')];
    const nonceOf = (r: Reply) => /'nonce-([^']+)'/.exec(String(r.headers['content-security-policy']))?.[1];
    expect(nonceOf(a)).toBeTruthy();
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    const scripts = a.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonceOf(a)}"`);
  });
});

describe('the Host check', () => {
  it('answers the loopback names and the names passed with --allowed-host', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST', `bench.example:${port}`]) {
      const res = await get('/api/live', host);
      expect(res.status, host).toBe(200);
    }
  });

  it('refuses any other name with 421 and one line, on pages, the API and static files alike', async () => {
    for (const host of [`evil.example:${port}`, 'attacker.test', `127.0.0.1.evil.example:${port}`, 'localhost@evil.example']) {
      for (const pathname of ['/', '/api/live', '/lang?to=fr&next=/']) {
        const res = await get(pathname, host);
        expect(res.status, `${host} ${pathname}`).toBe(421);
        expect(res.body.trimEnd().split('\n')).toHaveLength(1);
        expect(res.body).toContain('--allowed-host');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
    }
  });

  it('rejects a malformed --allowed-host before starting', async () => {
    const res = await runCli(['serve', '--allowed-host', 'a/b', '--port', String(await freePort())], 60_000);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--allowed-host must be a host name or an IP address/);
  });
});
