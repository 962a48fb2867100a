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

/** Rejects with a one-line ModelLoadError (exit 2) when the path is not a readable, complete GGUF file. */
export async function inspectModelFile(modelPath: string): Promise<{ facts: ModelFacts; fileInfo: GgufFileInfo }> {
  const fix = 'pass --model with the path of a .gguf model file';
  let stat: fs.Stats;
  try {
    stat = fs.statSync(modelPath);
  } catch {
    throw new ModelLoadError(`model file ${modelPath} does not exist; ${fix}`, modelPath);
  }
  if (!stat.isFile()) throw new ModelLoadError(`model path ${modelPath} is not a file; ${fix}`, modelPath);

  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = fs.openSync(modelPath, 'r');
    fs.readSync(fd, head, 0, 4, 0);
  } catch (err) {
    throw new ModelLoadError(`cannot read model file ${modelPath} (${(err as NodeJS.ErrnoException).code}); check its permissions or ${fix}`, modelPath);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  if (head.toString('latin1') !== GGUF_MAGIC) {
    throw new ModelLoadError(`${modelPath} is not a GGUF model (it does not start with the GGUF magic bytes); ${fix}`, modelPath);
  }

  let fileInfo: GgufFileInfo;
  try {
    fileInfo = await readGgufFileInfo(modelPath, { readTensorInfo: true, logWarnings: false });
  } catch (err) {
    throw new ModelLoadError(`${modelPath} is a damaged or truncated GGUF file (${firstLine(err)}); download it again or ${fix}`, modelPath);
  }
  // What llama.cpp would assert on (aborting the process) or refuse with log lines of its own: one line of ours instead.
  const problem = findStructureProblem(fileInfo, stat.size);
  if (problem?.kind === 'unsupported') {
    throw new ModelLoadError(`${modelPath} cannot be loaded by this llama.cpp: ${problem.reason}; update node-llama-cpp, or ${fix} that it supports`, modelPath);
  }
  if (problem) throw new ModelLoadError(`${modelPath} is not a usable model: ${problem.reason}; download it again or ${fix}`, modelPath);

  const general = fileInfo.metadata.general;
  const facts: ModelFacts = {
    path: path.resolve(modelPath),
    fileName: path.basename(modelPath),
    name: typeof general?.name === 'string' ? general.name : null,
    sizeBytes: stat.size,
    sha256: await sha256File(modelPath),
    architecture: typeof general?.architecture === 'string' ? general.architecture : null,
    parameters: countParameters(fileInfo),
    type: describeType(fileInfo),
    contextLength: readContextLength(fileInfo),
    hasChatTemplate: typeof fileInfo.metadata.tokenizer?.chat_template === 'string',
  };
  return { facts, fileInfo };
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
