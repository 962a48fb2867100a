// The syntax of --model, checked before anything is fetched: a local path, a Hugging Face spec, an http(s) URL,
// or a model in Ollama's store.
import path from 'node:path';
import { InputError } from '../errors/WattbenchError';

export type ModelSpec =
  | { kind: 'local'; path: string }
  /** hf:owner/repo[:quant] (node-llama-cpp picks the file) or hf:owner/repo/path/file.gguf[#branch]. */
  | { kind: 'hf'; owner: string; repo: string; quant?: string; file?: string; branch?: string }
  | { kind: 'url'; url: URL }
  /** ollama:[host/][namespace/]name[:tag]: a model Ollama pulled, read from its blob (namespace library, tag latest). */
  | { kind: 'ollama'; host: string; namespace: string; name: string; tag: string };

export const MODEL_SPEC_FORMS = 'a local .gguf path, hf:owner/repo, hf:owner/repo:quant (e.g. :Q4_K_M), hf:owner/repo/file.gguf, ollama:name[:tag] (a model Ollama pulled) or an https:// URL of a .gguf file';

export const OLLAMA_DEFAULT_HOST = 'registry.ollama.ai';
export const OLLAMA_DEFAULT_NAMESPACE = 'library';
export const OLLAMA_DEFAULT_TAG = 'latest';
/** Ollama's own rule for name parts (types/model/name.go): letters, digits, '_', '-', '.', starting with a letter or digit. */
const OLLAMA_PART = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
const OLLAMA_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/;

/** Hugging Face owner and repository names: letters, digits, '-', '_', '.', not starting with '.' or '-'. */
const HF_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;
const QUANT = /^[A-Za-z0-9_.-]{1,64}$/;

export function isRemoteSpec(spec: string): boolean {
  return /^(hf|https?):/.test(spec);
}

/** Parses --model; throws InputError (exit 2) naming the accepted forms when a remote spec is malformed. */
export function parseModelSpec(spec: string): ModelSpec {
  const malformed = (why: string) => new InputError(`--model ${JSON.stringify(spec)} is not a valid model: ${why}; pass ${MODEL_SPEC_FORMS}`);
  if (spec.trim() === '') throw malformed('it is empty');
  if (/^https?:/.test(spec)) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw malformed('it is not a valid URL');
    }
    if (!url.hostname) throw malformed('the URL names no host');
    return { kind: 'url', url };
  }
  if (/^ollama:/.test(spec)) return parseOllamaSpec(spec.slice('ollama:'.length), malformed);
  // node-llama-cpp reads "hf:" in lower case only: "HF:x" is a file name, as it would be there.
  if (!/^hf:/.test(spec)) return { kind: 'local', path: path.resolve(spec) };

  const body = spec.replace(/^hf:(\/\/)?/, '');
  const hash = body.indexOf('#');
  const branch = hash >= 0 ? body.slice(hash + 1) : undefined;
  const [owner, repoAndQuant, ...fileParts] = (hash >= 0 ? body.slice(0, hash) : body).split('/');
  if (!owner || repoAndQuant === undefined) throw malformed('an hf: model needs an owner and a repository');
  if (!HF_NAME.test(owner)) throw malformed(`"${owner}" is not a Hugging Face owner name`);
  if (fileParts.length > 0) {
    if (!HF_NAME.test(repoAndQuant)) throw malformed(`"${repoAndQuant}" is not a Hugging Face repository name`);
    if (fileParts.some((p) => p === '' || p === '.' || p === '..' || /\s/.test(p))) throw malformed('the file path inside the repository is malformed');
    const file = fileParts.join('/');
    if (!file.toLowerCase().endsWith('.gguf')) throw malformed(`"${file}" is not a .gguf file`);
    if (branch !== undefined && !/^[A-Za-z0-9._/-]{1,128}$/.test(branch)) throw malformed(`"${branch}" is not a branch name`);
    return { kind: 'hf', owner, repo: repoAndQuant, file, branch };
  }
  if (branch !== undefined) throw malformed('a #branch goes only with hf:owner/repo/file.gguf');
  const colon = repoAndQuant.indexOf(':');
  const repo = colon >= 0 ? repoAndQuant.slice(0, colon) : repoAndQuant;
  const quant = colon >= 0 ? repoAndQuant.slice(colon + 1) : undefined;
  if (!HF_NAME.test(repo)) throw malformed(repo === '' ? 'an hf: model needs an owner and a repository' : `"${repo}" is not a Hugging Face repository name`);
  if (quant !== undefined && !QUANT.test(quant)) throw malformed(quant === '' ? 'nothing follows the ":" (give a quantisation such as Q4_K_M, or leave the ":" out)' : `"${quant}" is not a quantisation name`);
  return { kind: 'hf', owner, repo, quant };
}

function parseOllamaSpec(body: string, malformed: (why: string) => InputError): ModelSpec {
  if (body === '') throw malformed('an ollama: model needs a name, e.g. ollama:qwen2.5:0.5b');
  const colon = body.lastIndexOf(':');
  // A ':' inside a host ("localhost:5000/ns/name") is a port, not a tag.
  const hasTag = colon >= 0 && !body.slice(colon + 1).includes('/');
  const path = hasTag ? body.slice(0, colon) : body;
  const tag = hasTag ? body.slice(colon + 1) : OLLAMA_DEFAULT_TAG;
  const parts = path.split('/');
  if (parts.length > 3) throw malformed(`"${path}" has too many parts; an Ollama name is [host/][namespace/]name`);
  const [host, namespace, name] = [
    parts.length === 3 ? parts[0] : OLLAMA_DEFAULT_HOST,
    parts.length >= 2 ? parts[parts.length - 2] : OLLAMA_DEFAULT_NAMESPACE,
    parts[parts.length - 1],
  ];
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?$/.test(host)) throw malformed(`"${host}" is not a registry host`);
  for (const part of [namespace, name]) if (!OLLAMA_PART.test(part)) throw malformed(part === '' ? 'an ollama: name has an empty part' : `"${part}" is not an Ollama model name`);
  if (!OLLAMA_TAG.test(tag)) throw malformed(tag === '' ? 'nothing follows the ":" (give a tag such as 0.5b, or leave the ":" out for latest)' : `"${tag}" is not an Ollama tag`);
  return { kind: 'ollama', host, namespace, name, tag };
}

/** The short name Ollama shows for a model ("qwen2.5:0.5b", "someone/model:q4", "host/ns/model:tag"), prefixed "ollama:". */
export function ollamaDisplayName(ref: { host: string; namespace: string; name: string; tag: string }): string {
  const prefix = ref.host !== OLLAMA_DEFAULT_HOST ? `${ref.host}/${ref.namespace}/` : ref.namespace !== OLLAMA_DEFAULT_NAMESPACE ? `${ref.namespace}/` : '';
  return `ollama:${prefix}${ref.name}:${ref.tag}`;
}
