// The real CLI on the real tiny models, checked in a real SQLite file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect, beforeAll } from 'vitest';
import { STORIES_MODEL, RANDOM_MODEL, makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';

const METRICS = ['ttftMs', 'promptTokensPerSec', 'genTokensPerSec', 'interTokenMs', 'e2eMs'] as const;

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('wattbench run on stories260K (smoke suite)', () => {
  const dir = makeTempDir('run');
  const db = path.join(dir, 'runs.db');
  let json: Record<string, any>; // eslint-disable-line -- the parsed --json output is checked field by field below
  let stdout = '';

  beforeAll(async () => {
    const res = await runCli(['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '3', '--warmup', '1', '--threads', '1', '--idle-seconds', '0', '--label', 'ci', '--db', db, '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    stdout = res.stdout;
    json = JSON.parse(res.stdout);
  });

  it('prints exactly one JSON object with the documented contract', () => {
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(json.status).toBe('completed');
    expect(typeof json.id).toBe('number');
    expect(json.model).toMatchObject({ file: 'stories260K.gguf', sizeBytes: fs.statSync(STORIES_MODEL).size, sha256: sha256(STORIES_MODEL), architecture: 'llama' });
    expect(json.model.parameters).toBeGreaterThan(250_000);
    expect(json.model.type).toBe('F32');
    expect(json.settings).toMatchObject({ threads: 1, reps: 3, warmup: 1, context: 2048, suite: 'smoke', promptFormat: 'completion' });
    expect(json.hardware.cpu.length).toBeGreaterThan(0);
    expect(json.hardware.cores).toBeGreaterThanOrEqual(1);
    expect(json.hardware.memoryBytes).toBeGreaterThan(0);
    for (const key of METRICS) {
      const m = json.summary[key];
      expect(Object.keys(m).sort()).toEqual(['max', 'mean', 'median', 'min', 'n', 'sd']);
      expect(m.n).toBe(6);
      expect(m.min).toBeLessThanOrEqual(m.median);
      expect(m.median).toBeLessThanOrEqual(m.max);
      expect(m.mean).toBeGreaterThan(0);
    }
    expect(json.peakRssBytes).toBeGreaterThan(0);
    expect(json.loadMs).toBeGreaterThan(0);
    expect(json.results).toHaveLength(6);
    expect(json.runtime).toMatchObject({ nodeLlamaCppVersion: '3.21.1', backend: 'cpu' });
  });

  it('records every repetition: tokens, timings, stop reason, real story text', () => {
    for (const r of json.results) {
      expect(r.outputTokens).toBeGreaterThan(0);
      expect(r.outputTokens).toBeLessThanOrEqual(32);
      expect(['eog', 'max-tokens']).toContain(r.stopReason);
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(r.e2eMs).toBeGreaterThanOrEqual(r.ttftMs);
      expect(r.interTokenP95Ms).toBeGreaterThanOrEqual(r.interTokenP50Ms);
    }
    // Greedy decoding is deterministic: every repetition of a prompt writes the same text.
    const byPrompt = new Map<string, Set<string>>();
    for (const r of json.results) byPrompt.set(r.promptId, (byPrompt.get(r.promptId) ?? new Set()).add(r.output));
    for (const outputs of byPrompt.values()) expect(outputs.size).toBe(1);
    expect(json.results.map((r: { output: string }) => r.output).join(' ')).toMatch(/[a-z]+ [a-z]+/);
  });

  it('stores hardware, model, run, results and samples in SQLite (WAL)', () => {
    const sqlite = new Database(db, { readonly: true });
    try {
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      const run = sqlite.prepare('select * from runs where id = ?').get(json.id) as Record<string, unknown>;
      expect(run).toMatchObject({ status: 'completed', threads: 1, reps: 3, warmup: 1, suite: 'smoke', label: 'ci', prompt_format: 'completion' });
      expect(run.ended_at).toBeGreaterThanOrEqual(run.started_at as number);
      expect(sqlite.prepare('select count(*) n from results where run_id = ?').get(json.id)).toEqual({ n: 6 });
      const samples = sqlite.prepare('select * from samples where run_id = ? order by t').all(json.id) as Array<Record<string, number | string | null>>;
      expect(samples.length).toBeGreaterThan(0);
      const last = samples[samples.length - 1];
      expect(last.tokens_generated).toBe(json.results.reduce((a: number, r: { outputTokens: number }) => a + r.outputTokens, 0) + 2 * 32);
      expect(last.rss_bytes).toBeGreaterThan(0);
      expect(last.mem_used_bytes).toBeGreaterThan(0);
      const model = sqlite.prepare('select * from models').get() as Record<string, unknown>;
      expect(model).toMatchObject({ sha256: sha256(STORIES_MODEL), has_chat_template: 0, architecture: 'llama' });
      const hw = sqlite.prepare('select * from hardware').get() as Record<string, unknown>;
      expect(hw.cpu_threads).toBeGreaterThanOrEqual(hw.cpu_cores as number);
    } finally {
      sqlite.close();
    }
  });

  it('show, list and export read back the same record', async () => {
    const show = await runCli(['show', String(json.id), '--db', db, '--json']);
    expect(show.code).toBe(0);
    const { samplerCpuPercent: _cost, ...fromRun } = json;
    expect(JSON.parse(show.stdout)).toEqual(fromRun);

    const text = await runCli(['show', String(json.id), '--db', db]);
    expect(text.stdout).toMatch(/Generation \(mean ± σ\):\s+[\d,.]+ ± [\d,.]+ tok\/s/);
    expect(text.stdout).toMatch(/Range \(min … max\):\s+[\d,.]+ … [\d,.]+ tok\/s\s+6 runs/);
    expect(text.stdout).toMatch(/Energy \(estimated\):\s+[\d.,]+ J\s+\[estimated \(model /);

    const list = await runCli(['list', '--db', db, '--json']);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ id: json.id, status: 'completed', model: 'stories260K.gguf' });

    const csv = await runCli(['export', String(json.id), '--format', 'csv', '--db', db]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run_id,status,model_file,/);
    expect(lines).toHaveLength(7);

    const out = path.join(dir, 'export.json');
    const exp = await runCli(['export', String(json.id), '--format', 'json', '--output', out, '--db', db]);
    expect(exp.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(fromRun);
  });
});

describe('wattbench run on llama-2-tiny-random (pp-tg suite)', () => {
  it('processes exactly 512 prompt tokens and generates exactly 128 tokens, like llama-bench', async () => {
    const dir = makeTempDir('pptg');
    const res = await runCli(['run', '--model', RANDOM_MODEL, '--suite', 'pp-tg', '--reps', '2', '--warmup', '1', '--threads', '1', '--idle-seconds', '0', '--db', path.join(dir, 'a.db'), '--json']);
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(json.model).toMatchObject({ file: 'llama-2-tiny-random.gguf', type: 'F16', sha256: sha256(RANDOM_MODEL) });
    const pp = json.results.filter((r: { promptId: string }) => r.promptId === 'pp512');
    const tg = json.results.filter((r: { promptId: string }) => r.promptId === 'tg128');
    expect(pp).toHaveLength(2);
    expect(tg).toHaveLength(2);
    for (const r of pp) expect(r.promptTokens).toBe(512);
    for (const r of tg) {
      expect(r.outputTokens).toBe(128);
      expect(r.stopReason).toBe('max-tokens');
    }
    expect(json.prompts.map((p: { promptId: string }) => p.promptId)).toEqual(['pp512', 'tg128']);
  });
});

describe('prompt formats', () => {
  it('sends prompts through a chat template when asked, records the wrapper, and the template adds tokens', async () => {
    const dir = makeTempDir('chat');
    const common = ['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--json'];
    const chat = JSON.parse((await runCli([...common, '--prompt-format', 'chat', '--db', path.join(dir, 'a.db')])).stdout);
    const completion = JSON.parse((await runCli([...common, '--db', path.join(dir, 'a.db')])).stdout);
    expect(chat.settings).toMatchObject({ promptFormat: 'chat', chatWrapper: expect.any(String) });
    expect(completion.settings).toMatchObject({ promptFormat: 'completion', chatWrapper: null });
    for (let i = 0; i < chat.results.length; i++) expect(chat.results[i].promptTokens).toBeGreaterThan(completion.results[i].promptTokens);
  });
});

describe('context size', () => {
  it('grows to the next power of two that holds the longest prompt, within the training context, and is recorded', async () => {
    const dir = makeTempDir('ctx');
    const suite = path.join(dir, 'long.json');
    fs.writeFileSync(suite, JSON.stringify({ name: 'long', description: 'one 3,000-token prompt', prompts: [{ id: 'pp3000', title: 'pp3000', kind: 'synthetic', promptTokens: 3000, maxTokens: 4 }] }));
    const res = await runCli(['run', '--model', RANDOM_MODEL, '--suite', suite, '--reps', '1', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--db', path.join(dir, 'a.db'), '--json']);
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout);
    // 3,000 + 4 tokens → 4,096, which is also llama-2-tiny-random's training context.
    expect(json.settings.context).toBe(4096);
    expect(json.results[0].promptTokens).toBe(3000);
  });
});
