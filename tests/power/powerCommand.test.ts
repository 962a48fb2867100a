// `wattbench power` as a child process against fixture trees: the listing, the permission-denied
// branch for real (EACCES from the OS), bad flags, and --watch until SIGINT.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../helpers/paths';
import { waitFor } from '../helpers/waitFor';
import { FIXTURES_DIR, buildRaplTree, makeFixtureRoot, startCounterWriter, stopProcess } from './helpers/sysfsFixture';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;
/** Nobody: a user for whom root-only energy_uj is unreadable, as for a normal user on Linux ≥ 5.10. */
const NOBODY = 65534;

function env(sysfsRoot: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WATTBENCH_SYSFS_ROOT: sysfsRoot,
    // No real GPU tool leaks into the listing on a CI machine that has one.
    WATTBENCH_NVIDIA_SMI: path.join(sysfsRoot, 'no-nvidia-smi'),
    NO_COLOR: '1',
    ...extra,
  };
}

function runCli(args: string[], e: NodeJS.ProcessEnv, asUser?: number) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: e,
    encoding: 'utf8',
    timeout: 60_000,
    ...(asUser !== undefined ? { uid: asUser, gid: asUser } : {}),
  });
}

/** A RAPL tree whose energy_uj the CLI cannot read: root-only files read by "nobody" (or mode 000 when the tests are not root). */
function deniedTree(): { root: string; asUser?: number } {
  const root = makeFixtureRoot('power-denied');
  roots.push(root);
  const files = buildRaplTree(root, [{ name: 'package-0', energyUj: 12345, subZones: [{ name: 'core', energyUj: 1 }] }]);
  if (isRoot) {
    // The CLI must be loadable by nobody; otherwise this test cannot exercise EACCES honestly.
    const probe = spawnSync(process.execPath, ['-e', 'require("fs").readFileSync(process.argv[1])', CLI], { uid: NOBODY, gid: NOBODY });
    if (probe.status !== 0) throw new Error(`user nobody (uid ${NOBODY}) cannot read ${CLI}: make the checkout world-readable (chmod o+rX) for the permission test`);
    return { root, asUser: NOBODY };
  }
  for (const f of Object.values(files)) fs.chmodSync(f, 0o000);
  return { root };
}

describe('wattbench power', () => {
  it('lists every source; on a machine without sensors the estimate is used and worded as one', () => {
    const root = makeFixtureRoot('power-empty');
    roots.push(root);
    const res = runCli(['power', '--tdp', '65'], env(root));
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toBe('Power sources');
    expect(lines.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')).slice(1, 7)).toEqual([
      'rapl absent',
      'nvidia absent',
      'amdgpu absent',
      'apple unsupported',
      'battery absent',
      'estimate available',
    ]);
    // This machine's CPU decides whether --tdp is scaled to its visible threads (in the table) or says it is not.
    expect(res.stdout).toMatch(/estimate {2}available {9}used {2}CodeCarbon CPU-load model \(TDP 65 W from --tdp(, not scaled to visible threads| × \d+\/\d+ threads = [\d.]+ W)?\): [\d.]+ W idle … [\d.]+ W at full load;/);
    expect(res.stdout).toMatch(/note: no CPU power sensor is readable: all energy figures are estimates/);
  });

  it('says why RAPL is unreadable and how to grant access, then uses the estimate (EACCES from the OS)', () => {
    const { root, asUser } = deniedTree();
    const res = runCli(['power'], env(root), asUser);
    expect(res.status).toBe(0);
    const classDir = path.join(root, 'sys/class/powercap');
    expect(res.stdout).toContain(`  rapl      permission-denied       ${classDir}/intel-rapl:*/energy_uj is readable by root only (Linux 5.10 and later, CVE-2020-8694)`);
    expect(res.stdout).toContain(`            fix: grant read access until the next reboot with \`sudo chmod o+r ${classDir}/intel-rapl:*/energy_uj\``);
    expect(res.stdout).toMatch(/estimate {2}available {9}used/);
    expect(res.stdout).toContain('note: RAPL is unreadable: all energy figures are estimates');
  });

  it('rejects an explicitly requested source that is unreadable: one line with the fix, exit 2', () => {
    const { root, asUser } = deniedTree();
    const res = runCli(['power', '--power', 'rapl'], env(root), asUser);
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: --power rapl: permission denied: .*readable by root only .*; grant read access .*sudo chmod o\+r .*or use --power estimate$/);
  });

  it('rejects bad flags before any work', () => {
    const root = makeFixtureRoot('power-flags');
    roots.push(root);
    const cases: Array<[string[], RegExp]> = [
      [['power', '--tdp', 'abc'], /^error: --tdp must be a number of watts above 0 to 5000 \(got "abc"\)$/],
      [['power', '--tdp', '0'], /^error: --tdp must be a number of watts above 0/],
      [['power', '--idle-watts', '-3'], /^error: --idle-watts must be a number of watts from 0 to 5000 \(got "-3"\)$/],
      [['power', '--tdp', '50', '--idle-watts', '60'], /^error: --idle-watts 60 must be below the CPU's TDP \(50 W: --tdp\)/],
      [['power', '--power', 'rapl,gpu'], /^error: --power: unknown source "gpu"; use auto or a comma-separated list of rapl, nvidia, amdgpu, apple, battery, estimate$/],
      [['power', '--interval-ms', '5'], /^error: --interval-ms must be a whole number of ms from 100 to 60000/],
    ];
    for (const [args, message] of cases) {
      const res = runCli(args, env(root));
      expect(res.status, args.join(' ')).toBe(2);
      expect(res.stderr.trim(), args.join(' ')).toMatch(message);
    }
  });

  it('--watch prints power by source once per interval until SIGINT, then exits 0 and stops nvidia-smi', async () => {
    const root = makeFixtureRoot('power-watch');
    roots.push(root);
    const files = buildRaplTree(root, [{ name: 'package-0', energyUj: 0, subZones: [{ name: 'core', energyUj: 0 }] }]);
    const writer = await startCounterWriter([
      { file: files['intel-rapl:0'], watts: 15, startUj: 0, maxUj: 262143328850 },
      { file: files['intel-rapl:0:0'], watts: 9, startUj: 0, maxUj: 262143328850 },
    ]);
    const log = path.join(root, 'nvidia-smi.log');
    try {
      // A short interval: how long it is is not what this test is about, only that it prints once per interval.
      const child = spawn(process.execPath, [CLI, 'power', '--watch', '--interval-ms', '300'], {
        cwd: REPO_ROOT,
        env: env(root, { WATTBENCH_NVIDIA_SMI: path.join(FIXTURES_DIR, 'nvidia-smi'), FAKE_NVIDIA_LOG: log }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // Let it print until two ticks are out and every source has shown up in one (no fixed sleep: wait for the lines),
      // then interrupt; past the deadline, interrupt anyway and let the assertions below say what is missing.
      const tickLines = () => stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d {2}total /.test(l)).length;
      await waitFor('two ticks with every source', () => tickLines() >= 2 && /nvidia {4}gpu0 +\d/.test(stdout) && / {2}rapl {6}core +\d/.test(stdout), { timeoutMs: 60_000 }).catch(() => undefined);
      child.kill('SIGINT');
      const code = await exited;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/rapl {6}available {9}used {2}package-0; sub-zones core/);
      expect(stdout).toMatch(/nvidia {4}available {9}used {2}gpu0 NVIDIA GeForce RTX 4090 \(power integrated over time: no energy counter\)/);
      expect(stdout).toMatch(/estimate {2}available {15}CodeCarbon/);
      const ticks = stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d {2}total /.test(l));
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(stdout).toMatch(/ {2}rapl {6}package-0 +\d+\.\d\d W {2}measured: RAPL energy counters · CPU package\n/);
      expect(stdout).toMatch(/ {2}rapl {6}core +\d+\.\d\d W {2}measured: RAPL energy counters · CPU cores \(not in total\)\n/);
      expect(stdout).toMatch(/ {2}nvidia {4}gpu0 +45\.50 W {2}measured: NVIDIA GPU sensor · GPU board {2}37 % busy, 1\.0 GiB\n/);
      expect(stdout.trimEnd().endsWith('stopped')).toBe(true);
      // One long-lived nvidia-smi in loop mode, stopped with the command.
      const invocations = fs.readFileSync(log, 'utf8').trim().split('\n');
      const loops = invocations.filter((l) => l.includes('-lms'));
      expect(loops).toHaveLength(1);
      const pid = Number(loops[0].split(' ')[0]);
      expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      await stopProcess(writer);
    }
  });
});
