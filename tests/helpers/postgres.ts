// A real, throwaway PostgreSQL for tests: initdb into a temporary folder, started with pg_ctl on a free loopback
// port (its socket in the same folder), one database created, stopped and removed after. Debian's binaries
// (/usr/lib/postgresql/<version>/bin, else PATH). PostgreSQL refuses to run as root: under root the server runs as
// the unprivileged `postgres` user Debian's package creates, owning the temporary folder.
// Without PostgreSQL a test fails in CI (CI=true: .ci/run installs it) and is skipped elsewhere with the reason.
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';

export interface PostgresBinaries {
  binDir: string;
  /** The user the server runs as when this process is root (uid, gid); undefined otherwise. */
  runAs?: { uid: number; gid: number; name: string };
}

export interface PostgresCluster {
  /** postgres://wattbench:PASSWORD@127.0.0.1:PORT/DATABASE */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** A fresh database in the same cluster, as a URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const USER = 'wattbench';

function hasPostgresBinaries(dir: string): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b)));
}

/** Debian's newest /usr/lib/postgresql/<version>/bin, else the folder of `initdb` on PATH. */
function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = path.join(root, v, 'bin');
      if (hasPostgresBinaries(dir)) return dir;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && hasPostgresBinaries(dir)) return dir;
  }
  return undefined;
}

/** The binaries and the user to run them as, or why PostgreSQL cannot run here. */
export function findPostgres(): PostgresBinaries | { missing: string } {
  const binDir = findBinDir();
  if (!binDir) {
    return { missing: 'PostgreSQL is not installed (no initdb, pg_ctl and postgres in /usr/lib/postgresql/*/bin or on PATH): `apt-get install postgresql`' };
  }
  if (process.getuid?.() !== 0) return { binDir };
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { binDir, runAs: { uid, gid, name: 'postgres' } };
  } catch {
    return { missing: 'PostgreSQL refuses to run as root and there is no `postgres` user to run it as: `apt-get install postgresql` creates one' };
  }
}

const found = findPostgres();

/**
 * `describe` for PostgreSQL tests: runs them when PostgreSQL is here; in CI its absence is a failure (the tests run
 * and fail on the reason), elsewhere they are skipped and the reason printed.
 */
export const postgresTestsRun = !('missing' in found) || process.env.CI === 'true';
if (!postgresTestsRun && 'missing' in found) process.stderr.write(`PostgreSQL tests skipped (outside CI): ${found.missing}\n`);
export const describePostgres = postgresTestsRun ? describe : describe.skip;

function run(binaries: PostgresBinaries, command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(path.join(binaries.binDir, command), args, {
    encoding: 'utf8',
    ...options,
    ...(binaries.runAs ? { uid: binaries.runAs.uid, gid: binaries.runAs.gid } : {}),
    // The server's user may not read the caller's working directory.
    cwd: options.cwd ?? os.tmpdir(),
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${String(result.stderr).trim() || String(result.stdout).trim()}`);
  }
  return String(result.stdout);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a throwaway cluster with one database; call `stop()` after (afterAll). Throws the reason when PostgreSQL is missing. */
export async function startPostgres(database = 'wattbench_test'): Promise<PostgresCluster> {
  if ('missing' in found) throw new Error(`cannot start PostgreSQL for this test: ${found.missing}`);
  const binaries = found;
  // Under root the server's user must reach the folder: /tmp, whatever TMPDIR says (a private one would lock it out).
  const dir = fs.mkdtempSync(path.join(binaries.runAs ? '/tmp' : os.tmpdir(), 'wattbench-pg-'));
  const dataDir = path.join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwFile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (binaries.runAs) {
    fs.chownSync(dir, binaries.runAs.uid, binaries.runAs.gid);
    fs.chownSync(pwFile, binaries.runAs.uid, binaries.runAs.gid);
  }
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  let started = false;
  try {
    // Password authentication over TCP (what a URL with a password exercises), trust on the private socket.
    run(binaries, 'initdb', ['-D', dataDir, '-U', USER, `--pwfile=${pwFile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-sync']);
    let port = 0;
    // A free port can be taken between choosing and binding it: a few tries.
    for (let attempt = 0; !started; attempt++) {
      port = await freePort();
      const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        run(binaries, 'pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', path.join(dir, 'server.log'), '-o', options]);
        started = true;
      } catch (err) {
        if (attempt >= 2) {
          const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8').trim().split('\n').slice(-5).join(' | ') : '';
          throw new Error(`${(err as Error).message} ${log}`);
        }
      }
    }
    const host = '127.0.0.1';
    const urlFor = (db: string) => `postgres://${USER}:${encodeURIComponent(password)}@${host}:${port}/${db}`;
    const createDatabase = async (name: string): Promise<string> => {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    };
    const url = await createDatabase(database);
    // A test process that ends without afterAll (a crash, a timeout) still stops its server and removes the folder.
    const stopAtExit = () => {
      spawnSync(path.join(binaries.binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate'], { ...(binaries.runAs ?? {}), cwd: os.tmpdir(), stdio: 'ignore' });
      remove();
    };
    process.once('exit', stopAtExit);
    return {
      url,
      host,
      port,
      user: USER,
      password,
      database,
      createDatabase,
      async stop() {
        process.removeListener('exit', stopAtExit);
        try {
          run(binaries, 'pg_ctl', ['stop', '-w', '-D', dataDir, '-m', 'immediate']);
        } finally {
          remove();
        }
      },
    };
  } catch (err) {
    if (started) spawnSync(path.join(binaries.binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate'], binaries.runAs ?? {});
    remove();
    throw err;
  }
}
