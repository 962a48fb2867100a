// The terminal summary is the product: exact lines, hyperfine style, over a real run record of the real CLI.
// Every printed number is read back and checked against the record's own value at the precision shown.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { formatRunSummary } from '../../bench/output/formatRunSummary';
import { formatEnergyLines } from '../../bench/output/formatEnergyLines';
import type { RunRecord } from '../../lib/records/getRunRecord';
import type { EnergyJson } from '../../lib/energy/energyJson';
import type { MetricSummary } from '../../lib/stats/summarize';

const NUM = '[\\d,]+(?:\\.\\d+)?';
// picocolors' escapes, when the test runner enables colour.
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** The printed number stands for `value` rounded to the digits it shows. */
function agrees(printed: string, value: number): void {
  const decimals = printed.split('.')[1]?.length ?? 0;
  expect(Math.abs(Number(printed.replace(/,/g, '')) - value), `${printed} for ${value}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
}

const METRICS = [
  ['genTokensPerSec', 'Generation (mean ± σ):            ', 'tok/s'],
  ['promptTokensPerSec', 'Prompt processing (mean ± σ):     ', 'tok/s'],
  ['ttftMs', 'Time to first token (mean ± σ):   ', 'ms'],
  ['interTokenMs', 'Inter-token (p50) (mean ± σ):     ', 'ms'],
  ['e2eMs', 'End-to-end (mean ± σ):            ', 'ms'],
] as const;

/** The two hyperfine lines of a metric, exactly, with their numbers checked against the summary. */
function expectMetricLines(lines: string[], s: MetricSummary, label: string, unit: string): void {
  const [mean, sd, median] = new RegExp(`^  ${label.replace(/[()]/g, '\\$&')}(${NUM}) ± (${NUM}) ${unit} {4}median (${NUM})$`).exec(lines[0])?.slice(1) ?? [];
  expect(lines[0]).toBe(`  ${label}${mean} ± ${sd} ${unit}    median ${median}`);
  agrees(mean, s.mean);
  agrees(sd, s.sd);
  agrees(median, s.median);
  const [min, max] = new RegExp(`^ {4}Range \\(min … max\\): {14}(${NUM}) … (${NUM}) ${unit} {4}\\d+ runs$`).exec(lines[1])?.slice(1) ?? [];
  expect(lines[1]).toBe(`    Range (min … max):              ${min} … ${max} ${unit}    ${s.n} runs`);
  agrees(min, s.min);
  agrees(max, s.max);
}

describe('the terminal summary of a real run', () => {
  let record: RunRecord;
  let lines: string[];

  beforeAll(async () => {
    const db = path.join(makeTempDir('summary'), 'runs.db');
    const args = ['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--reps', '2', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--power', 'estimate', '--db', db, '--json'];
    const res = await runCli(args);
    expect(res.code).toBe(0);
    record = JSON.parse(res.stdout) as RunRecord;
    lines = plain(formatRunSummary(record, formatEnergyLines(record))).split('\n');
  }, 120_000);

  it('prints each prompt, then the run: mean ± σ and min … max per metric, with units and n', () => {
    let at = 0;
    record.prompts.forEach((p, i) => {
      expect(lines[at]).toBe(`Benchmark ${i + 1}/2: stories260K.gguf (llama) · smoke · ${p.promptId}  ${p.promptTokens} prompt tokens`);
      for (const [j, [key, label, unit]] of METRICS.entries()) expectMetricLines(lines.slice(at + 1 + 2 * j), p.metrics[key]!, label, unit);
      at += 1 + 2 * METRICS.length;
      const tokens = /^ {2}Output tokens \(mean\): {13}(\S+) tokens$/.exec(lines[at++])?.[1] ?? '';
      agrees(tokens, p.outputTokens!.mean);
      const [j, sd, label] = /^ {2}Energy per response \(mean ± σ\): {3}(\S+) ± (\S+) J {2}\[(.+)\]$/.exec(lines[at++])?.slice(1) ?? [];
      agrees(j, p.energyJ!.mean);
      agrees(sd, p.energyJ!.sd);
      expect(label).toContain('estimated (model CodeCarbon');
      const perToken = /^ {4}Per output token \(mean\): {8}(\S+) J\/token$/.exec(lines[at++])?.[1] ?? '';
      agrees(perToken, p.energyJ!.mean / p.outputTokens!.mean);
      expect(lines[at++]).toBe('');
    });

    expect(lines[at++]).toBe(`Run ${record.id} completed · 2 prompts × 2 reps (+0 warm-up) · 1 thread · completion`);
    for (const [key, label, unit] of METRICS) {
      expectMetricLines(lines.slice(at), record.summary[key]!, label, unit);
      at += 2;
    }
    expect(lines[at++]).toBe(`  Tokens:                           ${record.totalPromptTokens} prompt, ${record.totalOutputTokens} output`);
    const [load, loadUnit] = /^ {2}Model load: {23}(\S+) (ms|s)$/.exec(lines[at++])?.slice(1) ?? [];
    agrees(load, loadUnit === 's' ? record.loadMs! / 1000 : record.loadMs!);
    const [rss, rssUnit] = /^ {2}Peak memory \(RSS\): {16}(\S+) (MiB|GiB)$/.exec(lines[at++])?.slice(1) ?? [];
    agrees(rss, record.peakRssBytes! / 1024 ** (rssUnit === 'GiB' ? 3 : 2));
  });

  it('labels the energy by its source, model and boundary, the total as its figures added', () => {
    const energy = (record.energy as EnergyJson | null)!;
    const counted = energy.sources.filter((s) => s.countsTowardTotal);
    expect(counted.map((s) => s.label)).toEqual([
      expect.stringMatching(/^estimated \(model CodeCarbon CPU-load model .+\) · CPU package$/),
      expect.stringMatching(/^estimated \(model CodeCarbon RAM model .+\) · memory \(DRAM\)$/),
    ]);
    const total = lines.find((l) => l.startsWith('  Energy (estimated):'))!;
    const j = /^ {2}Energy \(estimated\): {15}(\S+) J {2}\[(.+)\]$/.exec(total)?.[1] ?? '';
    agrees(j, energy.totalJ);
    // Each estimate names its own model, so the total reads as the two labels added.
    expect(total).toBe(`  Energy (estimated):               ${j} J  [${counted.map((s) => s.label).join(' + ')}]`);
    for (const s of energy.sources) {
      const line = lines.find((l) => l.startsWith(`      ${s.source} ${s.domain}:`))!;
      const [sj, sw] = new RegExp(`^ {6}${s.source} ${s.domain}: +(${NUM}) J, (${NUM}) W mean {2}\\[`).exec(line)?.slice(1) ?? [];
      expect(line).toContain(`${sj} J, ${sw} W mean  [${s.label}]`);
      agrees(sj, s.joules);
      agrees(sw, s.meanW);
    }
    const [perToken, wh] = /^ {4}Per output token: {15}(\S+) J\/token · (\S+) Wh per 1,000 tokens$/.exec(lines.find((l) => l.startsWith('    Per output token:'))!)?.slice(1) ?? [];
    agrees(perToken, energy.joulesPerToken!);
    agrees(wh, energy.whPer1kTokens!);
  });

  it('ends with the machine, the runtime and the threads', () => {
    const tail = lines.slice(-3);
    expect(tail[0]).toMatch(new RegExp(`^ {2}Machine: {26}${record.hardware.cpu.replace(/[()+.]/g, '\\$&')}, ${record.hardware.cores} cores, ${NUM} GiB$`));
    agrees(/(\S+) GiB$/.exec(tail[0])![1], record.hardware.memoryBytes / 1024 ** 3);
    expect(tail[1]).toMatch(new RegExp(`^ {2}Runtime: {26}node-llama-cpp ${String(record.runtime.nodeLlamaCppVersion).replace(/\./g, '\\.')}, `));
    expect(tail[2]).toBe('  Threads:                          1 for prompts, 1 for generation (--threads)');
  });

  it('escapes control characters of the names it prints (GGUF metadata, suite file, recorded error)', () => {
    const hostile: RunRecord = {
      ...record,
      status: 'failed',
      error: 'died\r\u001b[2Kall good',
      model: { ...record.model, name: 'evil\u001b[2J\u001b]0;title\u0007' },
      settings: { ...record.settings, suite: 'smoke\u202egnp.exe' },
      prompts: record.prompts.map((p) => ({ ...p, promptId: `${p.promptId}\r` })),
    };
    const text = plain(formatRunSummary(hostile));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(text).toContain('(evil\\e[2J\\e]0;title\\x07) · smoke\\u202egnp.exe · ');
    expect(text).toContain('died\\r\\e[2Kall good');
  });
});
