// Where a server's energy can be measured: its location (this machine or another host), its processes found by
// their listening port, their CPU time added to the run's attribution, and a remote server's energy "not measured".
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, afterAll } from 'vitest';
import { endpointLocation, isLocalAddress } from '../../lib/endpoint/endpointLocation';
import { findListeningPids } from '../../lib/endpoint/findListeningPids';
import { probeEndpoint } from '../../lib/endpoint/probeEndpoint';
import { prepareServerPrompts } from '../../lib/endpoint/serverPrompts';
import { runServerBenchmark } from '../../lib/endpoint/runServerBenchmark';
import { createSampler, type SamplerState } from '../../lib/sampler/createSampler';
import { processCpuUs } from '../../lib/sampler/procReaders';
import { openDb } from '../../lib/db/openDb';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { loadSuite } from '../../lib/suites/loadSuite';
import { getRunRecord } from '../../lib/records/getRunRecord';
import { formatEnergyLines } from '../../bench/output/formatEnergyLines';
import { makeTempDir } from '../helpers/paths';
import { startTestServer } from '../helpers/testServer';
import { waitFor } from '../helpers/waitFor';

describe('endpointLocation', () => {
  it('classifies loopback and this machine\'s names as local, an address of another host as remote, without waiting on the network', async () => {
    expect(await endpointLocation(new URL('http://127.0.0.1:8080'))).toBe('local');
    expect(await endpointLocation(new URL('http://[::1]:8080'))).toBe('local');
    expect(await endpointLocation(new URL('http://localhost:11434'))).toBe('local');
    // TEST-NET-1 (RFC 5737): never routed, never this machine's.
    expect(await endpointLocation(new URL('http://192.0.2.1:8080'))).toBe('remote');
    expect(isLocalAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLocalAddress('203.0.113.7')).toBe(false);
  });

  it('answers a probe of an unroutable host within its deadline, exit 2', async () => {
    const started = Date.now();
    await expect(probeEndpoint('http://192.0.2.1:8080', { model: 'x', timeoutMs: 500 })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('cannot reach the server at http://192.0.2.1:8080/') });
    // Bounded by the probe's own timeout, not the system's TCP connect timeout (minutes).
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('server processes and their CPU time', () => {
  const children: Array<() => void> = [];
  afterAll(() => children.forEach((kill) => kill()));

  it('finds the process listening on a port', async () => {
    const server = await startTestServer({ flavour: 'llama-server' });
    children.push(() => void server.stop());
    expect(findListeningPids(server.port)).toEqual([server.pid]);
    await server.stop();
    await waitFor('the port to be released', () => findListeningPids(server.port).length === 0);
  });

  it("adds a worker process's CPU time to the sampler's process share", async () => {
    // A child that spins: its CPU time is what the sampler with it must add over the one without.
    const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    children.push(() => child.kill('SIGKILL'));
    const pid = child.pid!;
    const state: SamplerState = { phase: 'measure', promptIndex: 0, tokensGenerated: 0 };
    const withWorker = createSampler({ intervalMs: 50, getState: () => state, workerPids: [pid] });
    const alone = createSampler({ intervalMs: 50, getState: () => state });
    await waitFor('the child to start', () => processCpuUs('/', pid) !== null);
    const childStart = processCpuUs('/', pid)!;
    withWorker.start();
    alone.start();
    // Wait for 0.3 s of the child's CPU time (whatever the machine's load), then stop both.
    await waitFor('the child to use CPU', () => (processCpuUs('/', pid) ?? 0) - childStart >= 300_000, { timeoutMs: 60_000 });
    withWorker.stop();
    alone.stop();
    const childUs = processCpuUs('/', pid)! - childStart;
    const cpuUs = (samples: typeof withWorker.all): number => {
      let us = 0;
      for (let i = 1; i < samples.length; i++) us += ((samples[i].processCpuPercent ?? 0) / 100) * (samples[i].t - samples[i - 1].t) * 1000 * os.cpus().length;
      return us;
    };
    const added = cpuUs(withWorker.all) - cpuUs(alone.all);
    // Both samplers count this process; the one with the worker adds the child's time, to /proc's 10 ms ticks.
    expect(added).toBeGreaterThan(childUs * 0.5);
    expect(added).toBeLessThan(childUs * 1.5 + 100_000);
  });
});

describe('a server on another host', () => {
  it('stores its run with no energy, and says plainly that energy was not measured', async () => {
    // The runner is given the classification a remote endpoint gets (no power source, no process): the test
    // server stands in for the other host.
    const server = await startTestServer({ flavour: 'ollama' });
    const dir = makeTempDir('server-remote');
    const db = openDb(path.join(dir, 'runs.db'));
    try {
      const suite = loadSuite('smoke');
      const probe = await probeEndpoint(server.url, { model: 'stories:260k', timeoutMs: 5000 });
      const outcome = await runServerBenchmark({
        db,
        probe,
        model: 'stories:260k',
        location: 'remote',
        pids: [],
        pidOrigin: 'none',
        suite,
        prompts: prepareServerPrompts(suite, 4),
        settings: { reps: 1, warmup: 0, maxTokens: 4, seed: 1, idleSeconds: 0, sampleIntervalMs: 100, power: 'none', format: 'chat', streamTimeoutS: 30 },
        hardware: await detectHardware(),
        powerSources: [],
      });
      expect(outcome.status).toBe('completed');
      expect(outcome.energy).toBeNull();
      const record = getRunRecord(db, outcome.runId);
      expect(record.energy).toBeNull();
      expect(record.server).toMatchObject({ location: 'remote', pids: [] });
      expect(record.results.every((r) => r.energyJ === null)).toBe(true);
      expect(formatEnergyLines(record).join('\n')).toContain(`not measured: the server at ${server.url}/ runs on another host`);
    } finally {
      db.$client.close();
      await server.stop();
    }
  });
});

