// The monitor's live status line, on a real terminal (a pseudo-terminal from util-linux `script`): its joules
// carry the one energy label (source or estimate model, and boundary), never a bare "(estimate)".
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, makeTempDir } from '../helpers/paths';

const hasScript = spawnSync('script', ['--version']).status === 0;
const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
afterAll(() => {
  spinner.kill('SIGKILL');
});

describe.runIf(hasScript)('monitor status line', () => {
  it('labels the live joules with their source and boundary', async () => {
    const db = path.join(makeTempDir('monitor-status'), 'status.db');
    const command = [process.execPath, CLI, 'monitor', '--pid', String(spinner.pid), '--duration', '3', '--power', 'estimate', '--db', db].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const status = out.split(/\r|\n/).find((l) => l.includes('Ctrl-C to stop'));
    expect(status).toMatch(/monitor [\d.,]+ s · [\d.,]+ W · [\d.,]+ J \[estimated \(model CodeCarbon CPU-load model .*\) · CPU package \+ estimated \(model CodeCarbon RAM model .*\) · memory \(DRAM\)\] · process CPU/);
    expect(status).not.toMatch(/\(estimate\)/);
  });
});
