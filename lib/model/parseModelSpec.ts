// The syntax of --model, checked before anything is fetched: a local path, a Hugging Face spec, or an http(s) URL.
import path from 'node:path';
import { InputError } from '../errors/WattbenchError';

export type ModelSpec =
  | { kind: 'local'; path: string }
  /** hf:owner/repo[:quant] (node-llama-cpp picks the file) or hf:owner/repo/path/file.gguf[#branch]. */
  | { kind: 'hf'; owner: string; repo: string; quant?: string; file?: string; branch?: string }
  | { kind: 'url'; url: URL };

export const MODEL_SPEC_FORMS = 'a local .gguf path, hf:owner/repo, hf:owner/repo:quant (e.g. :Q4_K_M), hf:owner/repo/file.gguf or an https:// URL of a .gguf file';

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
