// Checks that a file is a complete GGUF model and reads its facts without loading the weights.
import fs from 'node:fs';
import path from 'node:path';
import { readGgufFileInfo, GgufFileType, GgmlType, type GgufFileInfo } from 'node-llama-cpp';
import { ModelLoadError } from '../errors/WattbenchError';
import { sha256File } from './sha256File';
import { findStructureProblem } from './checkModelStructure';

export interface ModelFacts {
  path: string;
  fileName: string;
  /** general.name, when the file has one. */
  name: string | null;
  sizeBytes: number;
  sha256: string;
  architecture: string | null;
  /** Total parameter count (null when it cannot be computed from the tensors). */
  parameters: number | null;
  /** Quantisation or tensor type, e.g. "Q4_K_M" or "F32". */
  type: string | null;
  contextLength: number | null;
  hasChatTemplate: boolean;
}

const GGUF_MAGIC = 'GGUF';

/** Why a file cannot be used as a model, as a phrase without the path ("it is truncated inside its header …"). */
export interface ModelFileProblem {
  kind: 'missing' | 'not-a-file' | 'unreadable' | 'not-gguf' | 'damaged' | 'unsupported';
  reason: string;
  /** The system's error code of an unreadable file (EACCES). */
  code?: string;
}

export type ModelHeader =
  | { ok: true; facts: Omit<ModelFacts, 'sha256'>; fileInfo: GgufFileInfo }
  | { ok: false; problem: ModelFileProblem };

/**
 * Reads a model's header (never its weights, never its hash): the facts, or the one problem that keeps llama.cpp
 * from loading it. `wattbench models` lists many files with it; `inspectModelFile` turns a problem into exit 2.
 */
export async function readModelHeader(modelPath: string): Promise<ModelHeader> {
  const fail = (kind: ModelFileProblem['kind'], reason: string, code?: string): ModelHeader => ({ ok: false, problem: { kind, reason, ...(code ? { code } : {}) } });
  let stat: fs.Stats;
  try {
    stat = fs.statSync(modelPath);
  } catch {
    return fail('missing', 'it does not exist');
  }
  if (!stat.isFile()) return fail('not-a-file', 'it is not a file');

  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = fs.openSync(modelPath, 'r');
    fs.readSync(fd, head, 0, 4, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail('unreadable', `it cannot be read (${code})`, code);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  if (head.toString('latin1') !== GGUF_MAGIC) return fail('not-gguf', 'it does not start with the GGUF magic bytes');

  let fileInfo: GgufFileInfo;
  try {
    fileInfo = await readGgufFileInfo(modelPath, { readTensorInfo: true, logWarnings: false });
  } catch (err) {
    return fail('damaged', `it is a damaged or truncated GGUF file (${firstLine(err)})`);
  }
  // What llama.cpp would assert on (aborting the process) or refuse with log lines of its own: one line of ours instead.
  const problem = findStructureProblem(fileInfo, stat.size);
  if (problem) return fail(problem.kind, problem.reason);

  const general = fileInfo.metadata.general;
  const facts: Omit<ModelFacts, 'sha256'> = {
    path: path.resolve(modelPath),
    fileName: path.basename(modelPath),
    name: typeof general?.name === 'string' ? general.name : null,
    sizeBytes: stat.size,
    architecture: typeof general?.architecture === 'string' ? general.architecture : null,
    parameters: countParameters(fileInfo),
    type: describeType(fileInfo),
    contextLength: readContextLength(fileInfo),
    hasChatTemplate: typeof fileInfo.metadata.tokenizer?.chat_template === 'string',
  };
  return { ok: true, facts, fileInfo };
}

export interface InspectModelOptions {
  /** The name recorded for the file instead of its base name (an Ollama blob is "sha256-…": "ollama:qwen2.5:0.5b"). */
  displayName?: string;
}

/** Rejects with a one-line ModelLoadError (exit 2) when the path is not a readable, complete GGUF file. */
export async function inspectModelFile(modelPath: string, options: InspectModelOptions = {}): Promise<{ facts: ModelFacts; fileInfo: GgufFileInfo }> {
  const fix = 'pass --model with the path of a .gguf model file';
  const header = await readModelHeader(modelPath);
  if (!header.ok) {
    const { kind, reason, code } = header.problem;
    const message = {
      missing: `model file ${modelPath} does not exist; ${fix}`,
      'not-a-file': `model path ${modelPath} is not a file; ${fix}`,
      unreadable: `cannot read model file ${modelPath} (${code}); check its permissions or ${fix}`,
      'not-gguf': `${modelPath} is not a GGUF model (${reason}); ${fix}`,
      damaged: /^it is a damaged or truncated GGUF file/.test(reason)
        ? `${modelPath} ${reason.slice(3)}; download it again or ${fix}`
        : `${modelPath} is not a usable model: ${reason}; download it again or ${fix}`,
      unsupported: `${modelPath} cannot be loaded by this llama.cpp: ${reason}; update node-llama-cpp, or ${fix} that it supports`,
    }[kind];
    throw new ModelLoadError(message, modelPath);
  }
  const facts: ModelFacts = { ...header.facts, fileName: options.displayName ?? header.facts.fileName, sha256: await sha256File(modelPath) };
  return { facts, fileInfo: header.fileInfo };
}

function countParameters(fileInfo: GgufFileInfo): number | null {
  const tensors = fileInfo.fullTensorInfo ?? fileInfo.tensorInfo;
  if (!tensors?.length) return null;
  return tensors.reduce((sum, t) => sum + t.dimensions.reduce<number>((p, d) => p * Number(d), 1), 0);
}

/** general.file_type when present ("Q4_K_M"); otherwise the tensor type holding most parameters ("F32"). */
function describeType(fileInfo: GgufFileInfo): string | null {
  const fileType = fileInfo.metadata.general?.file_type;
  if (typeof fileType === 'number' && GgufFileType[fileType] !== undefined) {
    return GgufFileType[fileType].replace(/^MOSTLY_/, '').replace(/^ALL_/, '');
  }
  const tensors = fileInfo.fullTensorInfo ?? fileInfo.tensorInfo ?? [];
  const byType = new Map<string, number>();
  for (const t of tensors) {
    const name = GgmlType[t.ggmlType] ?? `type${t.ggmlType}`;
    byType.set(name, (byType.get(name) ?? 0) + t.dimensions.reduce<number>((p, d) => p * Number(d), 1));
  }
  let best: string | null = null;
  let bestCount = -1;
  for (const [name, count] of byType) if (count > bestCount) [best, bestCount] = [name, count];
  return best;
}

function readContextLength(fileInfo: GgufFileInfo): number | null {
  const arch = fileInfo.architectureMetadata as { context_length?: unknown } | undefined;
  return typeof arch?.context_length === 'number' ? arch.context_length : null;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
