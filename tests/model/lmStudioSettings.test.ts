// LM Studio's models folder where the user moved it: LM Studio records it as `downloadsFolder` (an absolute path)
// in settings.json in its home (~/.lmstudio, ~/.cache/lm-studio before 0.3, or the folder ~/.lmstudio-home-pointer
// names — lmstudio-ai/lms's findLMStudioHome; the key: lmstudio-ai/lms#573). Real discovery on fixture homes laid
// out that way, with the committed tiny models; a missing settings file is no entry, a garbled one an unreadable
// entry with the reason, never a crash, and the default folder is searched still.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverModels } from '../../lib/model/discoverModels';
import { RANDOM_MODEL, STORIES_MODEL, makeTempDir } from '../helpers/paths';

const root = makeTempDir('lmstudio-settings');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const BUDGET = { kind: 'free RAM' as const, bytes: 8e9, description: 'free RAM' };

function write(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** A home with LM Studio's default folder holding one model (publisher/repo/file.gguf, as LM Studio lays it out). */
function makeHome(name: string): string {
  const home = path.join(root, name);
  write(path.join(home, '.lmstudio', 'models', 'lmstudio-community', 'stories-GGUF', 'stories260K.gguf'), fs.readFileSync(STORIES_MODEL));
  return home;
}

/** LM Studio's settings.json as it writes it: a JSON object of many settings, the models folder among them. */
function settingsJson(downloadsFolder: unknown): string {
  return JSON.stringify({ downloadsFolder, defaultContextLength: { type: 'max' }, developerMode: true }, null, 2);
}

const discover = (home: string) => discoverModels(BUDGET, { home, cwd: path.join(home, 'project'), env: { NODE_ENV: 'test' } });

describe('LM Studio’s custom models folder', () => {
  it('searches the folder settings.json names, as well as the default one', async () => {
    const home = makeHome('custom');
    const custom = path.join(root, 'external-drive', 'llm');
    write(path.join(custom, 'TheBloke', 'tiny-random-GGUF', 'llama-2-tiny-random.gguf'), fs.readFileSync(RANDOM_MODEL));
    write(path.join(home, '.lmstudio', 'settings.json'), settingsJson(custom));
    const { models, searched } = await discover(home);
    const lm = models.filter((m) => m.store === 'lm-studio');
    expect(lm.map((m) => m.name).sort()).toEqual(['TheBloke/tiny-random-GGUF/llama-2-tiny-random.gguf', 'lmstudio-community/stories-GGUF/stories260K.gguf']);
    expect(lm.every((m) => m.status === 'ok')).toBe(true);
    expect(lm.find((m) => m.name.startsWith('TheBloke'))!.path).toBe(path.join(custom, 'TheBloke', 'tiny-random-GGUF', 'llama-2-tiny-random.gguf'));
    expect(searched.filter((s) => s.store === 'lm-studio').map((s) => s.directory)).toContain(custom);
  });

  it('follows ~/.lmstudio-home-pointer to a home elsewhere and reads its settings', async () => {
    const home = makeHome('pointer');
    const lmHome = path.join(root, 'elsewhere', 'lmstudio-home');
    const custom = path.join(root, 'elsewhere', 'models-moved');
    write(path.join(custom, 'pub', 'repo', 'moved.gguf'), fs.readFileSync(RANDOM_MODEL));
    write(path.join(lmHome, 'settings.json'), settingsJson(custom));
    write(path.join(home, '.lmstudio-home-pointer'), `${lmHome}\n`);
    const { models } = await discover(home);
    expect(models.find((m) => m.name === 'pub/repo/moved.gguf')).toMatchObject({ store: 'lm-studio', status: 'ok' });
  });

  it('lists a garbled settings file as unreadable with the reason, and still searches the default folder', async () => {
    const home = makeHome('garbled');
    const file = path.join(home, '.lmstudio', 'settings.json');
    write(file, settingsJson('/somewhere').slice(0, 25)); // cut short mid-write
    const { models, searched } = await discover(home);
    const entry = models.find((m) => m.path === file);
    expect(entry).toMatchObject({ store: 'lm-studio', status: 'unreadable', architecture: null, sizeBytes: null, fit: null });
    expect(entry!.problem).toMatch(/not valid JSON.*custom models folder is not searched/);
    expect(models.find((m) => m.name === 'lmstudio-community/stories-GGUF/stories260K.gguf')).toMatchObject({ status: 'ok' });
    expect(searched.some((s) => s.directory === path.join(home, '.lmstudio', 'models'))).toBe(true);
  });

  it('names a downloadsFolder that is not an absolute path, and treats a settings file without one as none', async () => {
    const relative = makeHome('relative');
    write(path.join(relative, '.lmstudio', 'settings.json'), settingsJson('~/models'));
    const rel = await discover(relative);
    expect(rel.models.find((m) => m.status === 'unreadable')!.problem).toMatch(/relative downloadsFolder \("~\/models"\)/);
    const notString = makeHome('not-string');
    write(path.join(notString, '.lmstudio', 'settings.json'), settingsJson(42));
    expect((await discover(notString)).models.find((m) => m.status === 'unreadable')!.problem).toMatch(/downloadsFolder that is not a folder path/);
    const without = makeHome('without');
    write(path.join(without, '.lmstudio', 'settings.json'), JSON.stringify({ developerMode: false }));
    const none = await discover(without);
    expect(none.models.map((m) => `${m.status} ${m.name}`)).toEqual(['ok lmstudio-community/stories-GGUF/stories260K.gguf']);
    const missing = await discover(makeHome('missing'));
    expect(missing.models.map((m) => `${m.status} ${m.name}`)).toEqual(['ok lmstudio-community/stories-GGUF/stories260K.gguf']);
  });
});
