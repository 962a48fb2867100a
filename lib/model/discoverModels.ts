// `wattbench models`: the GGUF files already on this machine, in every store people keep them in, each read
// from its header (never loaded, never hashed), once, with whether it fits this machine at the default context.
// A file that cannot be read is listed with the reason; nothing here throws for one bad file.
import fs from 'node:fs';
import type { GgufFileInfo } from 'node-llama-cpp';
import { MIN_AUTO_CONTEXT } from '../runner/runDefaults';
import { readModelHeader } from './inspectModelFile';
import { estimateModelMemory, MEMORY_FORMULA } from './estimateModelMemory';
import type { MemoryBudget } from './memoryBudget';
import { modelStoreLocations, STORE_LABELS, type ModelStoreId, type ModelStoreLocation, type StoreEnvironment } from './stores/modelStores';
import type { ModelCandidate } from './stores/modelCandidate';
import { scanGgufFolder } from './stores/scanGgufFolder';
import { scanOllamaStore } from './stores/ollamaStore';
import { scanHuggingFaceCache } from './stores/huggingFaceCache';

export interface ModelFit {
  /** The context the estimate is for: the run's default (2,048 tokens), within the model's training context. */
  contextTokens: number;
  kvCacheBytes: number;
  /** file + KV cache + overhead (MEMORY_FORMULA). */
  neededBytes: number;
  /** How neededBytes is computed (MEMORY_FORMULA). */
  formula: string;
  /** What it is compared with: free RAM, or the GPU's VRAM. */
  budget: MemoryBudget['kind'];
  budgetBytes: number;
  fits: boolean;
}

export interface DiscoveredModel {
  name: string;
  store: ModelStoreId;
  storeLabel: string;
  /** The file as found (for a split model, its first part). */
  path: string;
  /** The same file reached again: another Ollama tag, a symlink, another revision of a Hugging Face repo. */
  alsoAt: Array<{ name: string; store: ModelStoreId; path: string }>;
  /** Files the model spans: 1, or the parts of a split model. */
  parts: number;
  /** ok: a model llama.cpp can load; partial: an unfinished download or missing part; unreadable: damaged, not GGUF, unsupported. */
  status: 'ok' | 'partial' | 'unreadable';
  problem: string | null;
  architecture: string | null;
  parameters: number | null;
  /** general.file_type ("Q4_K_M") or the type of most tensors ("F32"). */
  quantization: string | null;
  /** On disk, every part together; null when it cannot be read. */
  sizeBytes: number | null;
  contextLength: number | null;
  /** null: no chat template; else node-llama-cpp's name for it ("chatML", "llama3.1", "jinjaTemplate"). */
  chatTemplate: string | null;
  fit: ModelFit | null;
}

export interface SearchedStore extends ModelStoreLocation {
  exists: boolean;
}

export interface ModelDiscovery {
  searched: SearchedStore[];
  budget: MemoryBudget;
  memoryFormula: string;
  models: DiscoveredModel[];
}

const SCANNERS: Record<ModelStoreId, (l: ModelStoreLocation) => ModelCandidate[]> = {
  'models-dir': scanGgufFolder,
  'wattbench-models-dir': scanGgufFolder,
  'node-llama-cpp': scanGgufFolder,
  'lm-studio': scanGgufFolder,
  ollama: scanOllamaStore,
  huggingface: scanHuggingFaceCache,
};

export async function discoverModels(budget: MemoryBudget, where: StoreEnvironment = {}): Promise<ModelDiscovery> {
  const locations = modelStoreLocations(where);
  const searched: SearchedStore[] = [];
  const byRealPath = new Map<string, { candidate: ModelCandidate; alsoAt: DiscoveredModel['alsoAt'] }>();
  const seenDirectories = new Set<string>();
  for (const location of locations) {
    if (location.problem) {
      // A settings file that should have said where the store's models are: listed as unreadable, with the reason.
      const { file, reason } = location.problem;
      byRealPath.set(`problem:${file}`, { candidate: { store: location.store, storeDirectory: location.directory, name: `${location.label} settings (${file})`, path: file, parts: [], unreadable: `${reason}; its custom models folder is not searched` }, alsoAt: [] });
      continue;
    }
    const exists = isDirectory(location.directory);
    searched.push({ ...location, exists });
    // ./models and WATTBENCH_MODELS_DIR are often the same folder: searched once.
    const realDir = realPath(location.directory);
    if (!exists || seenDirectories.has(realDir)) continue;
    seenDirectories.add(realDir);
    for (const candidate of SCANNERS[location.store](location)) {
      const key = realPath(candidate.path);
      const seen = byRealPath.get(key);
      if (seen) seen.alsoAt.push({ name: candidate.name, store: candidate.store, path: candidate.path });
      else byRealPath.set(key, { candidate, alsoAt: [] });
    }
  }
  const models: DiscoveredModel[] = [];
  // One at a time: a listing of a few files must not open them all at once, and order stays the stores'.
  for (const { candidate, alsoAt } of byRealPath.values()) models.push(await describeCandidate(candidate, alsoAt, budget));
  return { searched, budget, memoryFormula: MEMORY_FORMULA, models };
}

async function describeCandidate(c: ModelCandidate, alsoAt: DiscoveredModel['alsoAt'], budget: MemoryBudget): Promise<DiscoveredModel> {
  const sizes = c.parts.map(fileSize);
  const base: DiscoveredModel = {
    name: c.name,
    store: c.store,
    storeLabel: STORE_LABELS[c.store],
    path: c.path,
    alsoAt,
    parts: c.parts.length,
    status: 'ok',
    problem: null,
    architecture: null,
    parameters: null,
    quantization: null,
    sizeBytes: sizes.length > 0 && sizes.every((s) => s !== null) ? sizes.reduce<number>((a, s) => a + s!, 0) : (sizes[0] ?? null),
    contextLength: null,
    chatTemplate: null,
    fit: null,
  };
  if (c.unreadable) return { ...base, status: 'unreadable', problem: c.unreadable, sizeBytes: null };
  if (c.incomplete) return { ...base, status: 'partial', problem: c.incomplete };
  const header = await readModelHeader(c.path);
  if (!header.ok) return { ...base, status: 'unreadable', problem: header.problem.reason };
  const { facts, fileInfo } = header;
  const size = base.sizeBytes ?? facts.sizeBytes;
  const context = Math.min(MIN_AUTO_CONTEXT, facts.contextLength ?? MIN_AUTO_CONTEXT);
  const estimate = estimateModelMemory(fileInfo, size, context);
  return {
    ...base,
    architecture: facts.architecture,
    parameters: facts.parameters,
    quantization: facts.type,
    sizeBytes: size,
    contextLength: facts.contextLength,
    chatTemplate: facts.hasChatTemplate ? await chatTemplateName(fileInfo, c.path) : null,
    fit: estimate ? { ...estimate, formula: MEMORY_FORMULA, budget: budget.kind, budgetBytes: budget.bytes, fits: estimate.neededBytes <= budget.bytes } : null,
  };
}

/** node-llama-cpp's name for the model's chat template (the wrapper a run would use), "jinjaTemplate" when it has no specialised one. */
async function chatTemplateName(fileInfo: GgufFileInfo, filename: string): Promise<string> {
  const { resolveChatWrapper } = await import('node-llama-cpp');
  try {
    return resolveChatWrapper({ fileInfo, filename, warningLogs: false })?.wrapperName ?? 'jinjaTemplate';
  } catch {
    return 'jinjaTemplate';
  }
}

function fileSize(p: string): number | null {
  try {
    return fs.statSync(p).size;
  } catch {
    return null;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
