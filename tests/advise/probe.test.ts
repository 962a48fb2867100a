// A real probe on small forged models: it forges the ladder (cached), stores one normal pp-tg run per size and a
// profile of this machine with the error of predicting the held-out size (the 20 % target is bench/probe.ts's:
// a timing, which a test does not assert). Then `advise --json` reads that profile.
// Ladder: 15M, 30M, 60M and 120M parameters in f16, 28 layers each (28–243 MB, --max-bytes 260 MB --rungs 4), 60M held out and
// predicted from a least-squares line through the three others; one thread (the other core stays free for the
// rest of the machine), 3 repetitions and a warm-up per prompt: about 45 s on 2 cores. It needs the machine to
// itself (vitest.config.ts runs it serially): on a machine at load 10–19 the generation error was 27–36 %.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { queryDb } from '../helpers/queryDb';

const dir = makeTempDir('probe');
const db = path.join(dir, 'probe.db');
const forge = path.join(dir, 'forge');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface ProbeJson {
  profileId: number;
  runIds: number[];
  heldOutRunId: number;
  fit: {
    generation: { bandwidthBytesPerSec: number };
    prompt: { flopsPerSec: number };
    decodeWatts: { meanW: number; sources: Array<{ source: string; boundary: string }>; basis: string } | null;
    heldOut: { runId: number; genError: number; promptError: number; predictedGenTokensPerSec: number; measuredGenTokensPerSec: number; predictedPromptTokensPerSec: number; measuredPromptTokensPerSec: number };
    points: Array<{ runId: number; origin: string }>;
  };
}

describe('wattbench probe on a small forged ladder', () => {
  let json: ProbeJson;

  beforeAll(async () => {
    const res = await runCli(
      ['probe', '--max-bytes', '260000000', '--rungs', '4', '--threads', '1', '--reps', '3', '--warmup', '1', '--idle-seconds', '0', '--db', db, '--json'],
      { WATTBENCH_FORGE_DIR: forge },
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    json = JSON.parse(res.stdout);
  }, 400_000);

  it('forges each size once into the cache, complete', () => {
    const files = fs.readdirSync(forge).sort();
    expect(files).toEqual(['probe-120M-L28-f16.gguf', 'probe-15M-L28-f16.gguf', 'probe-30M-L28-f16.gguf', 'probe-60M-L28-f16.gguf']);
  });

  it('stores one completed pp-tg run per size, labelled as the probe’s, with energy', () => {
    const runs = queryDb<{ id: number; status: string; suite: string; label: string; energy_basis: string }>(db, 'select id, status, suite, label, energy_basis from runs order by id');
    expect(runs.map((r) => r.id)).toEqual(json.runIds);
    for (const r of runs) expect(r).toMatchObject({ status: 'completed', suite: 'pp-tg', label: 'wattbench probe' });
    const energyRows = queryDb<{ n: number }>(db, 'select count(*) as n from energy where result_id is null');
    expect(energyRows[0].n).toBeGreaterThan(0);
  });

  it('stores the profile with the hardware, the runs it came from and the held-out error', () => {
    const rows = queryDb<{ id: number; hardware_id: number; run_ids: string; held_out_gen_error: number; held_out_prompt_error: number }>(db, 'select * from machine_profiles');
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(json.profileId);
    expect(JSON.parse(rows[0].run_ids)).toEqual(json.runIds);
    const hardware = queryDb<{ hardware_id: number }>(db, 'select distinct hardware_id from runs');
    expect(rows[0].hardware_id).toBe(hardware[0].hardware_id);
    expect(rows[0].held_out_gen_error).toBe(json.fit.heldOut.genError);
    expect(json.fit.points.every((p) => p.origin === 'probe')).toBe(true);
    expect(json.fit.generation.bandwidthBytesPerSec).toBeGreaterThan(0);
    expect(json.fit.prompt.flopsPerSec).toBeGreaterThan(0);
    expect(json.fit.decodeWatts!.sources.length).toBeGreaterThan(0);
  });

  // The 20 % target on the held-out error is a timing on a shared machine: bench/probe.ts measures and prints it
  // (a busy neighbour moves it by tens of %). Here, the mechanism: the 60M size is left out, predicted by the
  // others' fit, and its error is the distance between that prediction and what its own run measured.
  it('holds the 60M size out of the fit and stores the error of predicting it from the others', () => {
    const held = json.fit.heldOut;
    expect(held.runId).toBe(json.heldOutRunId);
    expect(json.heldOutRunId).toBe(json.runIds[2]);
    const rows = queryDb<{ gen: number | null; pp: number }>(db, 'select gen_tokens_per_sec as gen, prompt_tokens_per_sec as pp from results where run_id = ?', json.heldOutRunId);
    const gens = rows.map((r) => r.gen).filter((g): g is number => g !== null);
    const pps = rows.map((r) => r.pp);
    // What the held-out run measured is its own results', not a figure from the fit.
    expect(held.measuredGenTokensPerSec).toBeGreaterThanOrEqual(Math.min(...gens));
    expect(held.measuredGenTokensPerSec).toBeLessThanOrEqual(Math.max(...gens));
    expect(held.measuredPromptTokensPerSec).toBeGreaterThanOrEqual(Math.min(...pps));
    expect(held.measuredPromptTokensPerSec).toBeLessThanOrEqual(Math.max(...pps));
    expect(held.predictedGenTokensPerSec).toBeGreaterThan(0);
    expect(held.predictedPromptTokensPerSec).toBeGreaterThan(0);
    expect(held.genError).toBeCloseTo(Math.abs(held.predictedGenTokensPerSec / held.measuredGenTokensPerSec - 1), 9);
    expect(held.promptError).toBeCloseTo(Math.abs(held.predictedPromptTokensPerSec / held.measuredPromptTokensPerSec - 1), 9);
  });

  it('advise --json reads that profile: every model with fits, predictions in bands and a labelled energy', async () => {
    const res = await runCli(['advise', '--db', db, '--json', '--goal', 'largest']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const advice = JSON.parse(res.stdout);
    expect(advice).toMatchObject({ goal: 'largest', profile: { id: json.profileId, runIds: json.runIds } });
    expect(advice.models.length).toBeGreaterThan(20);
    for (const m of advice.models) {
      expect(m).toMatchObject({ predicted: true, fits: expect.any(Boolean), needBytes: expect.any(Number), sizeBytes: expect.any(Number), parameters: expect.any(Number), source: expect.any(String) });
      expect(m.genTokensPerSec.low).toBeLessThanOrEqual(m.genTokensPerSec.value);
      expect(m.genTokensPerSec.high).toBeGreaterThan(m.genTokensPerSec.value);
      expect(m.ttftMs.value).toBeGreaterThan(0);
      expect(m.energyLabel).toMatch(/·/);
    }
    expect(advice.models.map((m: { rank: number }) => m.rank)).toEqual(advice.models.map((_: unknown, i: number) => i + 1));
    if (advice.pick !== null) expect(advice.models.find((m: { id: string }) => m.id === advice.pick).fits).toBe(true);
  });
});
