// Starts tests/fixtures/llmServer.mjs (a real HTTP server streaming real tokens from a tiny model) as its own
// process and waits for its port.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, STORIES_MODEL } from './paths';

export interface TestServer {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `flags`: the fixture's monitoring switches, as the real servers take them (`--metrics`, `--no-slots`). */
export function startTestServer(opts: { flavour: 'llama-server' | 'ollama'; mode?: 'normal' | 'stall' | 'break' | 'no-usage' | 'non-streaming'; model?: string; flags?: Array<'--metrics' | '--no-slots'> }): Promise<TestServer> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'tests', 'fixtures', 'llmServer.mjs'), '--model', opts.model ?? STORIES_MODEL, '--flavour', opts.flavour, '--mode', opts.mode ?? 'normal', ...(opts.flags ?? [])], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (!m) return;
      const port = Number(m[1]);
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        pid: child.pid!,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`test server exited (${code}) before listening: ${stderr}`)));
  });
}
