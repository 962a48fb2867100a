// A model file a store holds, before its header is read.
import type { ModelStoreId } from './modelStores';

export interface ModelCandidate {
  store: ModelStoreId;
  /** The store's folder it was found in. */
  storeDirectory: string;
  /** What the store calls it: "publisher/repo/file.gguf", "ollama:qwen2.5:0.5b", "org/repo/file.gguf". */
  name: string;
  /** The file as reached (a Hugging Face snapshot entry is a symlink into blobs/). */
  path: string;
  /** Every file of the model: the path alone, or the parts of a split model in order (absent ones included); none when its data is missing. */
  parts: string[];
  /** Why it cannot be a usable model whatever its bytes: an unfinished download, a missing part or blob. */
  incomplete?: string;
  /** Why it cannot be read at all before any header (a store's garbled settings file, listed in its place). */
  unreadable?: string;
}

/** Suffixes of unfinished downloads: curl/wget/browsers (.part, .crdownload, .download), huggingface_hub (.incomplete), node-llama-cpp's ipull (.ipull), ours (.partial). */
const PARTIAL_SUFFIX = /\.(part|partial|incomplete|download|crdownload|ipull|tmp)$/i;

/** The reason a file name marks an unfinished download, or null. */
export function partialDownloadReason(fileName: string): string | null {
  const m = PARTIAL_SUFFIX.exec(fileName);
  return m ? `unfinished download (.${m[1]} file)` : null;
}

/** llama.cpp's split naming (gguf-split): name-00001-of-00003.gguf. */
const SPLIT_PART = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

export interface SplitPart {
  prefix: string;
  part: number;
  parts: number;
}

export function splitPart(fileName: string): SplitPart | null {
  const m = SPLIT_PART.exec(fileName);
  if (!m) return null;
  const part = Number(m[2]);
  const parts = Number(m[3]);
  return part >= 1 && parts >= 1 && part <= parts ? { prefix: m[1], part, parts } : null;
}

/** The file name of part `part` of a split model. */
export function splitPartName(prefix: string, part: number, parts: number): string {
  return `${prefix}-${String(part).padStart(5, '0')}-of-${String(parts).padStart(5, '0')}.gguf`;
}
