// Where people keep GGUF files, as folders to look in: one entry per store, in the order `wattbench models` lists
// them. Only the environment, the home folder and LM Studio's own settings file decide (tests point HOME and the
// variables at fixture trees).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type ModelStoreId = 'models-dir' | 'wattbench-models-dir' | 'node-llama-cpp' | 'ollama' | 'lm-studio' | 'huggingface';

export interface ModelStoreLocation {
  store: ModelStoreId;
  /** How the store is named in the listing ("Ollama", "Hugging Face cache"). */
  label: string;
  directory: string;
  /**
   * Why this store's own folder could not be learnt from its settings (LM Studio's settings.json garbled): listed
   * as an unreadable entry naming the file, and the store's default folders are searched still.
   */
  problem?: { file: string; reason: string };
}

export interface StoreEnvironment {
  env?: NodeJS.ProcessEnv;
  home?: string;
  cwd?: string;
}

export const STORE_LABELS: Record<ModelStoreId, string> = {
  'models-dir': './models',
  'wattbench-models-dir': 'WATTBENCH_MODELS_DIR',
  'node-llama-cpp': 'node-llama-cpp',
  ollama: 'Ollama',
  'lm-studio': 'LM Studio',
  huggingface: 'Hugging Face cache',
};

/** Ollama's store: OLLAMA_MODELS, else ~/.ollama/models (Ollama's envconfig.Models). */
export function ollamaModelsDir({ env = process.env, home = os.homedir() }: StoreEnvironment = {}): string {
  return path.resolve(env.OLLAMA_MODELS || path.join(home, '.ollama', 'models'));
}

/** The Hugging Face hub cache: HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub (huggingface_hub's constants). */
export function huggingFaceCacheDir({ env = process.env, home = os.homedir() }: StoreEnvironment = {}): string {
  if (env.HF_HUB_CACHE) return path.resolve(env.HF_HUB_CACHE);
  if (env.HF_HOME) return path.resolve(env.HF_HOME, 'hub');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'huggingface', 'hub');
}

/**
 * LM Studio's home folders, as its CLI finds them (lms's findLMStudioHome): the folder ~/.lmstudio-home-pointer
 * names, else ~/.cache/lm-studio (before 0.3), else ~/.lmstudio. All three are looked in: a pointer or a cache
 * folder left by an older version does not move the models of the newer one.
 */
export function lmStudioHomes(home: string): string[] {
  const homes: string[] = [];
  try {
    const pointed = fs.readFileSync(path.join(home, '.lmstudio-home-pointer'), 'utf8').trim();
    if (pointed !== '' && path.isAbsolute(pointed)) homes.push(path.resolve(pointed));
  } catch {
    // No pointer (LM Studio's CLI never ran) or an unreadable one: the default homes below.
  }
  for (const h of [path.join(home, '.lmstudio'), path.join(home, '.cache', 'lm-studio')]) if (!homes.includes(h)) homes.push(h);
  return homes;
}

export type LmStudioModelsFolder = { directory: string } | { problem: string } | null;

/**
 * The models folder a user chose in LM Studio ("My Models" → Models Directory): `downloadsFolder` in the home's
 * settings.json (an absolute path; LM Studio does not expand "~", lmstudio-ai/lms#573). Null when there is no
 * settings file or it sets no folder; the problem, in words, when the file or the value cannot be used.
 */
export function lmStudioModelsFolder(lmHome: string): LmStudioModelsFolder {
  const file = path.join(lmHome, 'settings.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : { problem: `LM Studio's settings file cannot be read (${code ?? String(err)})` };
  }
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (err) {
    return { problem: `LM Studio's settings file is not valid JSON (${(err as Error).message})` };
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return { problem: "LM Studio's settings file is not a JSON object" };
  const folder = (settings as Record<string, unknown>).downloadsFolder;
  if (folder === undefined || folder === null) return null;
  if (typeof folder !== 'string' || folder.trim() === '') return { problem: "LM Studio's settings file has a downloadsFolder that is not a folder path" };
  if (!path.isAbsolute(folder)) return { problem: `LM Studio's settings file has a relative downloadsFolder (${JSON.stringify(folder)}), which LM Studio itself does not resolve; set an absolute path in LM Studio's My Models page` };
  return { directory: path.resolve(folder) };
}

export function modelStoreLocations(options: StoreEnvironment = {}): ModelStoreLocation[] {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const cwd = options.cwd ?? process.cwd();
  const at = (store: ModelStoreId, directory: string): ModelStoreLocation => ({ store, label: STORE_LABELS[store], directory: path.resolve(cwd, directory) });
  const locations = [at('models-dir', 'models')];
  if (env.WATTBENCH_MODELS_DIR) locations.push(at('wattbench-models-dir', env.WATTBENCH_MODELS_DIR));
  locations.push(
    // node-llama-cpp 3.21.1's cliModelsDirectory (dist/config.js): where `npx node-llama-cpp pull` and its resolveModelFile put models.
    at('node-llama-cpp', path.join(home, '.node-llama-cpp', 'models')),
    at('ollama', ollamaModelsDir({ env, home })),
  );
  // LM Studio: the models folder its settings choose, then <home>/models (0.3+: ~/.lmstudio/models; older versions:
  // ~/.cache/lm-studio/models), each folder once.
  const lmStudio: ModelStoreLocation[] = [];
  for (const lmHome of lmStudioHomes(home)) {
    const custom = lmStudioModelsFolder(lmHome);
    if (custom && 'directory' in custom) lmStudio.push(at('lm-studio', custom.directory));
    else if (custom) lmStudio.push({ ...at('lm-studio', lmHome), problem: { file: path.join(lmHome, 'settings.json'), reason: custom.problem } });
    lmStudio.push(at('lm-studio', path.join(lmHome, 'models')));
  }
  for (const l of lmStudio) if (l.problem || !locations.some((x) => x.directory === l.directory && !x.problem)) locations.push(l);
  locations.push(at('huggingface', huggingFaceCacheDir({ env, home })));
  return locations;
}
