// Where people keep GGUF files, as folders to look in: one entry per store, in the order `wattbench models` lists
// them. Only the environment and the home folder decide (tests point HOME and the variables at fixture trees).
import os from 'node:os';
import path from 'node:path';

export type ModelStoreId = 'models-dir' | 'wattbench-models-dir' | 'node-llama-cpp' | 'ollama' | 'lm-studio' | 'huggingface';

export interface ModelStoreLocation {
  store: ModelStoreId;
  /** How the store is named in the listing ("Ollama", "Hugging Face cache"). */
  label: string;
  directory: string;
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
    // LM Studio 0.3+ keeps models in ~/.lmstudio/models; older versions in ~/.cache/lm-studio/models.
    at('lm-studio', path.join(home, '.lmstudio', 'models')),
    at('lm-studio', path.join(home, '.cache', 'lm-studio', 'models')),
    at('huggingface', huggingFaceCacheDir({ env, home })),
  );
  return locations;
}
