// Bad input: one line naming the problem and the fix, exit 2, and no run left "running".
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect, beforeAll } from 'vitest';
import type { Command } from 'commander';
import { STORIES_MODEL, makeTempDir } from '../helpers/paths';
import { runCli } from '../helpers/runCli';
import { runCliInProcess } from '../helpers/runCliInProcess';
import { buildProgram } from '../../bench/cli';

const dir = makeTempDir('bad');
const db = path.join(dir, 'bad.db');
const base = ['run', '--suite', 'smoke', '--reps', '1', '--warmup', '0', '--threads', '1', '--idle-seconds', '0', '--db', db];

const textGguf = path.join(dir, 'notes.gguf');
fs.writeFileSync(textGguf, 'these are my notes, not a model\n');
const truncated = path.join(dir, 'truncated.gguf');
fs.writeFileSync(truncated, fs.readFileSync(STORIES_MODEL).subarray(0, 200_000));
const headerOnly = path.join(dir, 'header-only.gguf');
fs.writeFileSync(headerOnly, fs.readFileSync(STORIES_MODEL).subarray(0, 64));
const malformedSuite = path.join(dir, 'malformed.json');
fs.writeFileSync(malformedSuite, '{"name": "x", "prompts": [ {"id": "a"');
const invalidSuite = path.join(dir, 'invalid.json');
fs.writeFileSync(invalidSuite, JSON.stringify({ name: 'mine', description: 'no text', prompts: [{ id: 'a', title: 'A', maxTokens: 8 }] }));
const fileAsFolder = path.join(dir, 'a-file');
fs.writeFileSync(fileAsFolder, '');

const cases: Array<{ name: string; args: string[]; message: RegExp }> = [
  { name: 'a missing model file', args: ['--model', path.join(dir, 'nope.gguf')], message: /does not exist.*--model/ },
  { name: 'no model at all', args: [], message: /no model given.*--model/ },
  { name: 'a text file named .gguf', args: ['--model', textGguf], message: /not a GGUF model.*--model/ },
  { name: 'a truncated GGUF', args: ['--model', truncated], message: /truncated.*--model/ },
  { name: 'a GGUF cut inside its header', args: ['--model', headerOnly], message: /(damaged or truncated|truncated).*--model/ },
  { name: 'an unknown suite', args: ['--model', STORIES_MODEL, '--suite', 'nosuchsuite'], message: /unknown suite "nosuchsuite".*smoke/ },
  { name: 'a malformed suite file', args: ['--model', STORIES_MODEL, '--suite', malformedSuite], message: /not valid JSON/ },
  { name: 'a suite file that breaks the schema', args: ['--model', STORIES_MODEL, '--suite', invalidSuite], message: /invalid at .*description|invalid at prompts/ },
  { name: '--reps 0', args: ['--model', STORIES_MODEL, '--reps', '0'], message: /--reps.*'0' is invalid.*whole number from 1/ },
  { name: '--threads -1', args: ['--model', STORIES_MODEL, '--threads', '-1'], message: /--threads.*'-1' is invalid/ },
  { name: '--threads abc', args: ['--model', STORIES_MODEL, '--threads', 'abc'], message: /--threads.*'abc' is invalid/ },
  { name: 'a context too small for the prompts', args: ['--model', STORIES_MODEL, '--context', '16'], message: /does not fit in a context of 16.*--context/ },
  { name: "a suite longer than the model's training context", args: ['--model', STORIES_MODEL, '--suite', 'standard'], message: /prompt "summarise-en" has \d+ tokens and does not fit in a context of 2048; this model was trained for 2048 tokens: use a suite with shorter prompts/ },
  { name: 'an unknown option', args: ['--model', STORIES_MODEL, '--fast'], message: /unknown option '--fast'/ },
];

describe('bad input to wattbench run', () => {
  // Cases that end before llama.cpp loads run the CLI's main in this process; those that load the model, and
  // one of the others, go through the real binary.
  const throughBinary = new Set(['a missing model file', 'a context too small for the prompts', "a suite longer than the model's training context"]);
  for (const c of cases) {
    it(`${c.name}: one line, exit 2`, async () => {
      const args = [...base, ...c.args];
      const res = throughBinary.has(c.name) ? await runCli(args, { WATTBENCH_MODEL: undefined }) : await runCliInProcess(args, { WATTBENCH_MODEL: undefined });
      expect(res.code).toBe(2);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toMatch(c.message);
      expect(res.stdout).toBe('');
    });
  }

  it('left nothing behind: no run in the database, let alone a running one', () => {
    // The database was opened (bad --db paths fail before any model work) but holds no run.
    expect(fs.existsSync(db)).toBe(true);
    const sqlite = new Database(db, { readonly: true });
    try {
      expect(sqlite.prepare('select count(*) n from runs').get()).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
  });

  it('flags before files: a bad power flag is the error reported, before the model is read or a database created', async () => {
    // A fresh folder, a model that does not exist and a database path not yet created: only the flag may be blamed.
    const fresh = makeTempDir('flags');
    const freshDb = path.join(fresh, 'data', 'new.db');
    const missingModel = path.join(fresh, 'missing.gguf');
    const flagCases: Array<[string[], RegExp]> = [
      [['--tdp', '6000'], /^error: --tdp must be a number of watts above 0 to 5000 \(got "6000"\)$/],
      [['--tdp', '0'], /^error: --tdp must be a number of watts above 0/],
      [['--idle-watts', 'abc'], /^error: --idle-watts must be a number of watts from 0 to 5000 \(got "abc"\)$/],
      // Needs the CPU's TDP, so it is checked after parsing, yet still before any file.
      [['--tdp', '50', '--idle-watts', '60'], /^error: --idle-watts 60 must be below the CPU's TDP \([\d.]+ W: --tdp\); lower it or raise --tdp$/],
      [['--power', 'gpu'], /^error: --power: unknown source "gpu"/],
    ];
    for (const [i, [flags, message]] of flagCases.entries()) {
      const args = ['run', '--model', missingModel, '--suite', 'smoke', '--db', freshDb, ...flags];
      const res = i === 0 ? await runCli(args) : await runCliInProcess(args);
      expect(res.code, flags.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n'), flags.join(' ')).toHaveLength(1);
      expect(res.stderr.trim(), flags.join(' ')).toMatch(message);
    }
    expect(fs.readdirSync(fresh)).toEqual([]);
  });

  it('--port is checked one way in serve and demo: one line, exit 2, before any work', async () => {
    const fresh = makeTempDir('port');
    for (const [i, args] of [['serve', '--port', '0'], ['serve', '--port', 'abc'], ['demo', '--port', '70000'], ['demo', '-p', 'x']].entries()) {
      const full = [...args, '--db', path.join(fresh, 'x.db')];
      const res = i === 0 ? await runCli(full, { WATTBENCH_MODEL: undefined }) : await runCliInProcess(full, { WATTBENCH_MODEL: undefined });
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr.trim(), args.join(' ')).toMatch(/^error: --port must be a whole number from 1 to 65535, got "[^"]+"$/);
    }
    expect(fs.readdirSync(fresh)).toEqual([]);
  });

  it('a database path in a folder that cannot be written: one line, exit 2', async () => {
    const res = await runCli(['run', '--model', STORIES_MODEL, '--suite', 'smoke', '--db', path.join(fileAsFolder, 'sub', 'x.db')]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/cannot open database .*--db/);
  });

  it('show and export of a run that does not exist: one line, exit 2', async () => {
    for (const [i, args] of [['show', '999'], ['export', '999', '--format', 'csv'], ['show', 'abc']].entries()) {
      const res = i === 0 ? await runCli([...args, '--db', db]) : await runCliInProcess([...args, '--db', db]);
      expect(res.code).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/wattbench list/);
    }
  });

  it('export in an unknown format: exit 2', async () => {
    const res = await runCli(['export', '1', '--format', 'xml', '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/xml.*json, csv|Allowed choices are json, csv/);
  });
});

// Every numeric flag of every command, with the range it documents. A flag taking a number must be listed here:
// the last test fails for any that is not, so that no new flag goes unbounded (`--idle-seconds` once took any
// number, and beyond ~2.1 million s Node's timer silently ignored it).
// `list`: a sweep flag, whose value is a comma list (one value: a list of one; tests/cli/sweep.test.ts has the lists).
const NUMERIC_FLAGS: Array<{ command: string; flag: string; min: number; max: number; integer: boolean; help: string; list?: true }> = [
  { command: 'run', flag: '--threads', min: 1, max: 1024, integer: true, help: '1 to 1024', list: true },
  { command: 'run', flag: '--reps', min: 1, max: 10_000, integer: true, help: '1 to 10,000' },
  { command: 'run', flag: '--warmup', min: 0, max: 1000, integer: true, help: '0 to 1000' },
  { command: 'run', flag: '--context', min: 16, max: 1_048_576, integer: true, help: '16 to 1,048,576 tokens', list: true },
  { command: 'run', flag: '--batch', min: 1, max: 1_048_576, integer: true, help: '1 to 1,048,576 tokens', list: true },
  { command: 'run', flag: '--max-tokens', min: 1, max: 1_000_000, integer: true, help: '1 to 1,000,000' },
  { command: 'run', flag: '--seed', min: 0, max: 2 ** 31 - 1, integer: true, help: '0 to 2,147,483,647' },
  { command: 'run', flag: '--gpu-layers', min: 0, max: 100_000, integer: true, help: 'auto, max, or 0 to 100,000', list: true },
  { command: 'run', flag: '--idle-seconds', min: 0, max: 3600, integer: false, help: '0 to 3600 s' },
  { command: 'run', flag: '--sample-interval-ms', min: 10, max: 60_000, integer: true, help: '' },
  { command: 'run', flag: '--tdp', min: 0.5, max: 5000, integer: false, help: 'at most 5000' },
  { command: 'run', flag: '--idle-watts', min: 0, max: 5000, integer: false, help: 'watts' },
  { command: 'run', flag: '--server-pid', min: 1, max: 4_194_304, integer: true, help: '1 to 4,194,304' },
  { command: 'run', flag: '--stream-timeout', min: 0.1, max: 3600, integer: false, help: '0.1 to 3600 s' },
  { command: 'monitor', flag: '--pid', min: 1, max: 4_194_304, integer: true, help: '1 to 4,194,304' },
  { command: 'monitor', flag: '--duration', min: 1, max: 2_000_000, integer: false, help: '1 to 2,000,000 s' },
  { command: 'monitor', flag: '--sample-interval-ms', min: 10, max: 60_000, integer: true, help: '' },
  { command: 'monitor', flag: '--tdp', min: 0.5, max: 5000, integer: false, help: 'at most 5000' },
  { command: 'monitor', flag: '--idle-watts', min: 0, max: 5000, integer: false, help: 'watts' },
  { command: 'probe', flag: '--max-bytes', min: 1e6, max: 1e12, integer: true, help: '1,000,000 to 1,000,000,000,000' },
  { command: 'probe', flag: '--rungs', min: 3, max: 9, integer: true, help: '3 to 9' },
  { command: 'probe', flag: '--threads', min: 1, max: 1024, integer: true, help: '1 to 1024' },
  { command: 'probe', flag: '--reps', min: 1, max: 10_000, integer: true, help: '1 to 10,000' },
  { command: 'probe', flag: '--warmup', min: 0, max: 1000, integer: true, help: '0 to 1000' },
  { command: 'probe', flag: '--idle-seconds', min: 0, max: 3600, integer: false, help: '0 to 3600 s' },
  { command: 'probe', flag: '--tdp', min: 0.5, max: 5000, integer: false, help: 'at most 5000' },
  { command: 'probe', flag: '--idle-watts', min: 0, max: 5000, integer: false, help: 'watts' },
  { command: 'power', flag: '--tdp', min: 0.5, max: 5000, integer: false, help: 'at most 5000' },
  { command: 'power', flag: '--idle-watts', min: 0, max: 5000, integer: false, help: 'watts' },
  { command: 'power', flag: '--interval-ms', min: 100, max: 60_000, integer: true, help: '100 to 60,000 ms' },
  { command: 'list', flag: '--limit', min: 1, max: 1_000_000, integer: true, help: '1 to 1,000,000' },
  { command: 'demo', flag: '--reps', min: 1, max: 1000, integer: true, help: '1 to 1000' },
  { command: 'demo', flag: '--port', min: 1, max: 65_535, integer: true, help: '1 to 65535' },
  { command: 'serve', flag: '--port', min: 1, max: 65_535, integer: true, help: '1 to 65535' },
  { command: 'workshop', flag: '--port', min: 1, max: 65_535, integer: true, help: '1 to 65535' },
  { command: 'join', flag: '--threads', min: 1, max: 1024, integer: true, help: '1 to 1024' },
  { command: 'forge', flag: '--layers', min: 1, max: 512, integer: true, help: '1 to 512' },
  { command: 'forge', flag: '--embd', min: 8, max: 65_536, integer: true, help: '8 to 65,536' },
  { command: 'forge', flag: '--heads', min: 1, max: 1024, integer: true, help: '1 to 1024' },
  { command: 'forge', flag: '--kv-heads', min: 1, max: 1024, integer: true, help: '1 to 1024' },
  { command: 'forge', flag: '--ff', min: 8, max: 262_144, integer: true, help: '8 to 262,144' },
  { command: 'forge', flag: '--vocab', min: 300, max: 1_000_000, integer: true, help: '300 to 1,000,000 tokens' },
  { command: 'forge', flag: '--context', min: 16, max: 1_048_576, integer: true, help: '16 to 1,048,576 tokens' },
  { command: 'forge', flag: '--seed', min: 0, max: 2 ** 31 - 1, integer: true, help: '0 to 2,147,483,647' },
];
/** footprint's numeric flags are parsed in its action (they depend on --run), checked by the CLI test below and tests/footprint. */
const FOOTPRINT_NUMERIC = ['--run', '--active-params', '--total-params', '--output-tokens', '--input-tokens', '--pue', '--wue-onsite', '--wue-offsite', '--grid-g-per-kwh'];
/** forge's --params ("25M", "1.5B": a count with its suffix) is checked in tests/forge/forgeCli.test.ts. */
const NON_NUMERIC = ['--endpoint', '--api', '--process', '--goal', '--model', '--allowed-host', '--suite', '--label', '--db', '--power', '--prompt-format', '--format', '--output', '--country', '--provider', '--host', '--gpu', '--out', '--type', '--params', '--share', '--token', '--nickname', '--name', '--database-url', '--cache-dir'];

describe('numeric flags: a documented range, checked while parsing', () => {
  let program: Command;
  beforeAll(async () => {
    program = await buildProgram();
  });
  const optionOf = (command: string, flag: string) => {
    const option = program.commands.find((c) => c.name() === command)?.options.find((o) => o.long === flag);
    if (!option?.parseArg) throw new Error(`${command} ${flag} has no parser`);
    return { option, parse: (v: string) => option.parseArg!(v, undefined) as unknown };
  };

  for (const f of NUMERIC_FLAGS) {
    it(`${f.command} ${f.flag}: ${f.min} to ${f.max}`, () => {
      const { option, parse } = optionOf(f.command, f.flag);
      const parsed = (n: number) => (f.list ? [n] : n);
      expect(parse(String(f.max))).toEqual(parsed(f.max));
      if (Number.isInteger(f.min)) expect(parse(String(f.min))).toEqual(parsed(f.min));
      const outside = [String(f.max + 1), String(f.max * 10), f.min > 0 ? String(f.min === 0.5 ? 0 : f.min - 1) : '-1', 'abc', '', 'Infinity', '1e400'];
      if (f.integer) outside.push('1.5');
      for (const v of outside) expect(() => parse(v), `${f.command} ${f.flag} ${JSON.stringify(v)}`).toThrow();
      if (f.help) expect(option.description, f.flag).toContain(f.help);
    });
  }

  it('no command takes a value that is neither listed above nor known to be text', () => {
    for (const command of program.commands) {
      for (const option of command.options) {
        if (!option.required || !option.long) continue; // boolean switches
        const known =
          NON_NUMERIC.includes(option.long) ||
          NUMERIC_FLAGS.some((f) => f.command === command.name() && f.flag === option.long) ||
          (command.name() === 'footprint' && FOOTPRINT_NUMERIC.includes(option.long));
        expect(known, `${command.name()} ${option.long}`).toBe(true);
      }
    }
  });

  it('beyond a range through the real CLI: one line naming the flag and its range, exit 2, before any work', async () => {
    const fresh = makeTempDir('ranges');
    const freshDb = path.join(fresh, 'new.db');
    const flagCases: Array<[string[], RegExp]> = [
      // The example: above what a timer can wait for, once accepted and silently not honoured.
      [['run', '--model', path.join(fresh, 'missing.gguf'), '--db', freshDb, '--idle-seconds', '2200000'], /^error: option '--idle-seconds <s>' argument '2200000' is invalid\. expected a number from 0 to 3600 s, got 2200000; see wattbench --help$/],
      [['power', '--interval-ms', '50'], /^error: --interval-ms must be a whole number of ms from 100 to 60000 \(got "50"\)$/],
      [['footprint', '--active-params', '8', '--output-tokens', '5000000000'], /^error: --output-tokens must be at most 1,000,000,000 tokens \(got "5000000000"\)$/],
    ];
    for (const [i, [args, message]] of flagCases.entries()) {
      const res = i === 0 ? await runCli(args, { WATTBENCH_MODEL: undefined }) : await runCliInProcess(args, { WATTBENCH_MODEL: undefined });
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(res.stderr.trim(), args.join(' ')).toMatch(message);
      expect(res.stdout, args.join(' ')).toBe('');
    }
    expect(fs.readdirSync(fresh)).toEqual([]);
  });
});
