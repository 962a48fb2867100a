import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { loadSuite, listBundledSuites } from '../../lib/suites/loadSuite';
import { makeTempDir } from '../helpers/paths';

describe('bundled suites', () => {
  it('are smoke, standard, pp-tg and quality, and all validate', () => {
    expect(listBundledSuites()).toEqual(['pp-tg', 'quality', 'smoke', 'standard']);
    for (const name of listBundledSuites()) expect(loadSuite(name).suite.name).toBe(name);
  });

  it('smoke has two prompts of at most 32 output tokens', () => {
    const { suite } = loadSuite('smoke');
    expect(suite.prompts).toHaveLength(2);
    for (const p of suite.prompts) expect(p.maxTokens).toBeLessThanOrEqual(32);
  });

  it('standard covers four task shapes in English and French at temperature 0 with a fixed seed', () => {
    const { suite } = loadSuite('standard');
    expect(suite.temperature).toBe(0);
    expect(Number.isInteger(suite.seed)).toBe(true);
    const shapes = new Set(suite.prompts.map((p) => `${p.task}/${p.lang}`));
    for (const task of ['qa', 'summarise', 'code-explain', 'long-form']) for (const lang of ['en', 'fr']) expect(shapes).toContain(`${task}/${lang}`);
    const summarise = suite.prompts.find((p) => p.task === 'summarise' && p.lang === 'en');
    // ~1,000 tokens of text: at least 650 words.
    expect(summarise?.kind === 'text' && summarise.text.split(/\s+/).length).toBeGreaterThan(650);
  });

  it('pp-tg is llama-bench pp512 and tg128', () => {
    const { suite } = loadSuite('pp-tg');
    expect(suite.prompts.map((p) => [p.id, p.kind === 'synthetic' ? p.promptTokens : 0, p.maxTokens, p.ignoreEos])).toEqual([
      ['pp512', 512, 1, false],
      ['tg128', 1, 128, true],
    ]);
  });
});

describe('user suites', () => {
  const dir = makeTempDir('suites');
  it('load from a path, with defaults filled in', () => {
    const file = path.join(dir, 'mine.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'mine', description: 'd', prompts: [{ id: 'q1', title: 'Q', maxTokens: 8, text: 'Hello' }] }));
    const { suite, origin } = loadSuite(file);
    expect(origin).toBe(file);
    expect(suite).toMatchObject({ temperature: 0, seed: 42, version: 1 });
    expect(suite.prompts[0]).toMatchObject({ kind: 'text', lang: 'en', ignoreEos: false });
  });

  it('reject duplicates, bad ids and missing files with the fix', () => {
    const dup = path.join(dir, 'dup.json');
    fs.writeFileSync(dup, JSON.stringify({ name: 'dup', description: 'd', prompts: [1, 2].map(() => ({ id: 'a', title: 'A', maxTokens: 8, text: 'x' })) }));
    expect(() => loadSuite(dup)).toThrow(/invalid at prompts\.1\.id: duplicate prompt id "a"/);
    const badId = path.join(dir, 'bad.json');
    fs.writeFileSync(badId, JSON.stringify({ name: 'bad', description: 'd', prompts: [{ id: 'A B', title: 'A', maxTokens: 8, text: 'x' }] }));
    expect(() => loadSuite(badId)).toThrow(/invalid at prompts\.0/);
    expect(() => loadSuite(path.join(dir, 'none.json'))).toThrow(/does not exist; pass a bundled suite/);
  });
});
