// `wattbench forge` as people run it: a file that appears whole or not at all (a real Ctrl-C on a real
// process mid-write leaves nothing), no overwrite without --force, and every bad flag one line, exit 2,
// before anything is written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGgufFileInfo } from 'node-llama-cpp';
import { makeTempDir } from '../helpers/paths';
import { runCli, startCli } from '../helpers/runCli';
import { runCliInProcess } from '../helpers/runCliInProcess';
import { waitFor } from '../helpers/waitFor';

const dir = makeTempDir('forge-cli');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TINY = ['--embd', '64', '--layers', '2', '--vocab', '400', '--context', '256'];

describe('wattbench forge', () => {
  it('writes the model, says what it wrote and that it is synthetic, and refuses to overwrite it without --force', async () => {
    const out = path.join(dir, 'tiny.gguf');
    const res = await runCli(['forge', ...TINY, '--type', 'q8_0', '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Forged .*tiny\.gguf: .* parameters .*Q8_0, 64 wide, 2 layers, 1 head \(1 KV\), feed-forward 192, vocabulary 400, context 256 tokens; [\d.]+\sMiB in [\d.]+\s?m?s \([\d.,]+ MiB\/s\)\n/);
    expect(res.stdout).toMatch(/Synthetic model: random weights\. .*gibberish/);
    expect((await readGgufFileInfo(out)).fullTensorInfo!.find((t) => t.name === 'blk.0.attn_q.weight')!.ggmlType).toBe(8);
    expect(fs.readdirSync(dir).filter((f) => f !== 'folder.gguf')).toEqual(['tiny.gguf']);

    const before = fs.readFileSync(out);
    const again = await runCliInProcess(['forge', ...TINY, '--type', 'f16', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: --out .*tiny\.gguf already exists: pass --force to overwrite it, or choose another path\n$/);
    expect(fs.readFileSync(out).equals(before)).toBe(true);

    const forced = await runCliInProcess(['forge', ...TINY, '--type', 'f16', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect((await readGgufFileInfo(out)).fullTensorInfo!.find((t) => t.name === 'blk.0.attn_q.weight')!.ggmlType).toBe(1);
    expect(fs.readdirSync(dir).filter((f) => f !== 'folder.gguf')).toEqual(['tiny.gguf']);
  });

  it('Ctrl-C in the middle of writing: exit 130, and neither the model nor a partial file is left', async () => {
    const sub = fs.mkdtempSync(path.join(dir, 'sigint-'));
    const out = path.join(sub, 'big.gguf');
    // 1B parameters in F32 (about 4.4 GB): far longer to write than it takes to interrupt.
    const { child, done } = startCli(['forge', '--params', '1B', '--type', 'f32', '--out', out]);
    await waitFor('the partial file', () => fs.readdirSync(sub).find((f) => f.endsWith('.partial') && fs.statSync(path.join(sub, f)).size > 0));
    child.kill('SIGINT');
    const res = await done;
    expect(res.code).toBe(130);
    expect(res.stderr).toMatch(/^forge interrupted by SIGINT: nothing written to .*big\.gguf\n$/);
    expect(fs.readdirSync(sub)).toEqual([]);
  });

  it('a bad flag through the real binary: one line naming it and the fix, exit 2', async () => {
    const res = await runCli(['forge', '--params', 'lots', '--out', path.join(dir, 'bad.gguf')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`error: option '--params <count>' argument 'lots' is invalid. expected a parameter count such as 25M, 110M or 1.5B, from 5M to 26B, got "lots"; see wattbench --help\n`);
    expect(fs.existsSync(path.join(dir, 'bad.gguf'))).toBe(false);
  });

  const bad = path.join(dir, 'never.gguf');
  fs.mkdirSync(path.join(dir, 'folder.gguf'));
  it.each([
    [['--params', '25M', '--type', 'q5_k', '--out', bad], /--type <type>' argument 'q5_k' is invalid\. Allowed choices are f32, f16, q8_0, q4_0/],
    [['--params', '25', '--out', bad], /--params <count>' argument '25' is invalid\. expected a parameter count such as 25M/],
    [['--params', '1M', '--out', bad], /--params <count>' argument '1M' is invalid\. .*from 5M to 26B, got 1M/],
    [['--params', '25M', '--layers', '0', '--out', bad], /--layers <n>' argument '0' is invalid\. expected a whole number from 1 to 512, got 0/],
    [['--embd', '-64', '--out', bad], /--embd <n>' argument '-64' is invalid\. expected a whole number from 8 to 65,536/],
    [['--params', '25M', '--ff', '0', '--out', bad], /--ff <n>' argument '0' is invalid/],
    [['--params', '25M', '--vocab', '10', '--out', bad], /--vocab <n>' argument '10' is invalid\. expected a whole number from 300 to 1,000,000 tokens/],
    [['--params', '25M', '--heads', 'x', '--out', bad], /--heads <n>' argument 'x' is invalid/],
    [['--embd', '96', '--type', 'q4_0', '--ff', '100', '--out', bad], /^error: --type q4_0 stores rows in blocks of 32 values and --ff 100 is not a multiple of 32: use --ff 96 or --type f16$/],
    [['--embd', '100', '--type', 'q8_0', '--out', bad], /--embd 100 is not a multiple of 32: use --embd 96/],
    [['--embd', '128', '--heads', '3', '--out', bad], /^error: --heads 3 must divide --embd 128 into heads of an even size .*use --heads 2/],
    [['--embd', '128', '--heads', '4', '--kv-heads', '3', '--out', bad], /^error: --kv-heads 3 does not divide --heads 4/],
    [['--type', 'f16', '--out', bad], /^error: forge needs a size: pass --params \(e\.g\. --params 25M\) or a shape/],
    [['--params', '25M'], /required option '-o, --out <file\.gguf>' not specified/],
    [['--params', '25M', '--out', path.join(dir, 'missing', 'x.gguf')], /^error: --out .*missing\/x\.gguf: the folder .*missing does not exist; create it first or write elsewhere$/],
    [['--params', '25M', '--out', path.join(dir, 'model.bin')], /^error: --out .*model\.bin does not end in \.gguf/],
    [['--params', '25M', '--out', path.join(dir, 'folder.gguf')], /^error: --out .*folder\.gguf is a folder: name the \.gguf file to write inside it$/],
    // About 120 TB: more than any disk this runs on; refused before a byte is written.
    [['--embd', '65536', '--layers', '512', '--ff', '262144', '--type', 'f32', '--out', bad], /^error: not enough disk space for .*never\.gguf: it needs [\d,.]+\sGiB and .* has [\d,.]+\sGiB free; free some space, write elsewhere, or forge a smaller model$/],
  ])('%j: one line, exit 2, nothing written', async (args, message) => {
    const res = await runCliInProcess(['forge', ...args]);
    expect(res.code).toBe(2);
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(res.stdout).toBe('');
    expect(fs.readdirSync(dir).filter((f) => !['tiny.gguf', 'folder.gguf'].includes(f) && !f.startsWith('sigint-'))).toEqual([]);
  });
});
