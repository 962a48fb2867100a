// A small database written row by row for the query tests: a real SQLite file with the real migrations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../../lib/db/openDb';
import { energy, hardware, models, results, runs, samples } from '../../lib/db/schema';

export function makeDb(name: string): { db: Db; file: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wattbench-q-${name}-`));
  const file = path.join(dir, 'test.db');
  const db = openDb(file, { recoverOrphans: false });
  return { db, file, cleanup: () => (db.$client.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}

let seq = 0;

export function addHardware(db: Db, over: Partial<typeof hardware.$inferInsert> = {}): number {
  seq++;
  return db
    .insert(hardware)
    .values({
      fingerprint: `fp-${seq}`,
      hostname: `host-${seq}`,
      cpuModel: 'Intel(R) Core(TM) i7-1185G7 @ 3.00GHz',
      cpuCores: 4,
      cpuThreads: 8,
      memoryBytes: 16 * 1024 ** 3,
      gpus: [],
      os: 'Linux',
      arch: 'x64',
      createdAt: 1,
      ...over,
    })
    .returning({ id: hardware.id })
    .get().id;
}

export function addModel(db: Db, over: Partial<typeof models.$inferInsert> = {}): number {
  seq++;
  return db
    .insert(models)
    .values({ sha256: `sha-${seq}`, fileName: `model-${seq}.gguf`, name: null, sizeBytes: 1000, hasChatTemplate: false, createdAt: 1, ...over })
    .returning({ id: models.id })
    .get().id;
}

export function addRun(db: Db, modelId: number, hardwareId: number, over: Partial<typeof runs.$inferInsert> = {}): number {
  return db
    .insert(runs)
    .values({
      status: 'completed',
      modelId,
      hardwareId,
      suite: 'smoke',
      threads: 1,
      reps: 2,
      warmup: 1,
      contextSize: 512,
      seed: 42,
      promptFormat: 'completion',
      settings: {},
      runtime: {},
      pid: 999_999_999,
      startedAt: 1_000_000,
      endedAt: 1_010_000,
      ...over,
    })
    .returning({ id: runs.id })
    .get().id;
}

export function addResult(db: Db, runId: number, over: Partial<typeof results.$inferInsert> = {}): number {
  return db
    .insert(results)
    .values({
      runId,
      promptId: 'p0',
      promptIndex: 0,
      rep: 0,
      promptTokens: 10,
      outputTokens: 20,
      ttftMs: 10,
      promptTokensPerSec: 1000,
      genTokensPerSec: 100,
      e2eMs: 210,
      stopReason: 'eog',
      startedAt: 1_000_000,
      endedAt: 1_000_210,
      output: 'text',
      ...over,
    })
    .returning({ id: results.id })
    .get().id;
}

export function addEnergy(db: Db, runId: number, over: Partial<typeof energy.$inferInsert> = {}): void {
  db.insert(energy)
    .values({ runId, resultId: null, source: 'rapl', domain: 'package-0', boundary: 'cpu-package', method: 'counter', joules: 100, partial: false, ...over })
    .run();
}

export function addSamples(db: Db, rows: (typeof samples.$inferInsert)[]): void {
  const stmt = db.$client.prepare(
    'INSERT INTO samples (run_id, t, phase, prompt_index, cpu_percent, rss_bytes, mem_used_bytes, tokens_generated, power_w, power) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.$client.transaction(() => {
    for (const r of rows) {
      stmt.run(r.runId, r.t, r.phase, r.promptIndex ?? null, r.cpuPercent ?? null, r.rssBytes ?? null, r.memUsedBytes ?? null, r.tokensGenerated ?? null, r.powerW ?? null, r.power ? JSON.stringify(r.power) : null);
    }
  })();
}
