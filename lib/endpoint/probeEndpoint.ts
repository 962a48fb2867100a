// Before a server run exists: is the server there, which API does it speak, what is it (kind and version),
// and does it serve the model asked for. Any "no" is one line and exit 2 (InputError), nothing written.
//   Ollama: GET /api/version → {"version"}; GET /api/tags → {"models": [{"name", "model", "size", "digest", "details"}]}.
//   OpenAI-compatible: GET /v1/models → {"data": [{"id", "owned_by", "meta"?}]}.
//   llama-server: GET /props → {"build_info", "model_path", "model_alias", "default_generation_settings"…}.
import { InputError } from '../errors/WattbenchError';
import { causeOf } from './readStreamLines';
import type { ServerApi } from './types';

export interface ServerProbe {
  /** The base URL, without a trailing /v1. */
  baseUrl: string;
  api: ServerApi;
  kind: 'ollama' | 'llama-server' | 'openai-compatible';
  version: string | null;
  /** The model's entry as the server lists it (and llama-server's /props model fields). */
  modelInfo: Record<string, unknown> | null;
}

/** Parses --endpoint: an http(s) URL; a trailing /v1 (as OpenAI clients take it) is dropped. */
export function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InputError(`--endpoint ${endpoint} is not a URL; pass the server's base URL, e.g. http://127.0.0.1:8080 (llama-server) or http://127.0.0.1:11434 (Ollama)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`--endpoint ${endpoint} is not an http(s) URL; pass e.g. http://127.0.0.1:8080`);
  url.pathname = url.pathname.replace(/\/v1\/?$/, '/').replace(/\/?$/, '/');
  url.search = '';
  url.hash = '';
  return url;
}

type GetResult = { status: number; json: unknown } | { error: string };

async function getJson(base: URL, path: string, timeoutMs: number): Promise<GetResult> {
  try {
    const res = await fetch(new URL(path.replace(/^\//, ''), base), { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON: a different server, or an HTML page */
    }
    return { status: res.status, json };
  } catch (err) {
    const e = err as { name?: string };
    return { error: e?.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : causeOf(err) };
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `model` undefined: only what the server is (kind, version, API), for `wattbench monitor`; modelInfo is then null. */
export async function probeEndpoint(endpoint: string, opts: { model?: string; api?: ServerApi; timeoutMs: number }): Promise<ServerProbe> {
  const base = parseEndpoint(endpoint);
  const baseUrl = base.href;
  const version = await getJson(base, '/api/version', opts.timeoutMs);
  if ('error' in version) throw new InputError(`cannot reach the server at ${baseUrl} (${version.error}); start it, or pass the right --endpoint`);
  const ollamaVersion = version.status === 200 && isObject(version.json) && typeof version.json.version === 'string' ? version.json.version : null;

  if (ollamaVersion !== null && opts.api !== 'openai') {
    if (opts.model === undefined) return { baseUrl, api: 'ollama', kind: 'ollama', version: ollamaVersion, modelInfo: null };
    const tags = await getJson(base, '/api/tags', opts.timeoutMs);
    const models = 'error' in tags || !isObject(tags.json) || !Array.isArray(tags.json.models) ? [] : tags.json.models.filter(isObject);
    const wanted = opts.model.includes(':') ? opts.model : `${opts.model}:latest`;
    const entry = models.find((m) => m.name === opts.model || m.model === opts.model || m.name === wanted || m.model === wanted);
    if (!entry) throw modelMissing(opts.model, baseUrl, models.map((m) => String(m.name ?? m.model)), 'ollama pull ' + opts.model);
    return { baseUrl, api: 'ollama', kind: 'ollama', version: ollamaVersion, modelInfo: entry };
  }
  if (opts.api === 'ollama') throw new InputError(`${baseUrl} does not speak Ollama's API (GET /api/version answered ${version.status}); drop --api ollama or pass --api openai`);

  const list = await getJson(base, '/v1/models', opts.timeoutMs);
  if ('error' in list) throw new InputError(`cannot reach the server at ${baseUrl} (${list.error}); start it, or pass the right --endpoint`);
  if (list.status !== 200 || !isObject(list.json) || !Array.isArray(list.json.data)) {
    throw new InputError(`${baseUrl} speaks neither Ollama's API (/api/version) nor the OpenAI-compatible API (GET /v1/models answered ${list.status}); pass the base URL of an Ollama, llama-server, LM Studio or vLLM server`);
  }
  const models = list.json.data.filter(isObject);
  const entry = opts.model === undefined ? {} : models.find((m) => m.id === opts.model);
  if (!entry) throw modelMissing(opts.model ?? '', baseUrl, models.map((m) => String(m.id)), null);

  // llama-server says what it is in /props; Ollama's /v1 was recognised by /api/version.
  let kind: ServerProbe['kind'] = ollamaVersion !== null ? 'ollama' : 'openai-compatible';
  let serverVersion = ollamaVersion;
  let modelInfo: Record<string, unknown> | null = opts.model === undefined ? null : entry;
  if (kind !== 'ollama') {
    const props = await getJson(base, '/props', opts.timeoutMs);
    if (!('error' in props) && props.status === 200 && isObject(props.json) && typeof props.json.build_info === 'string') {
      kind = 'llama-server';
      serverVersion = props.json.build_info;
      const { model_path, model_alias, model_ftype, total_slots } = props.json;
      const n_ctx = isObject(props.json.default_generation_settings) ? props.json.default_generation_settings.n_ctx : undefined;
      if (opts.model !== undefined) modelInfo = { ...entry, props: { model_path, model_alias, model_ftype, total_slots, n_ctx } };
    }
  }
  return { baseUrl, api: 'openai', kind, version: serverVersion, modelInfo };
}

function modelMissing(model: string, baseUrl: string, served: string[], pull: string | null): InputError {
  const list = served.length ? `it serves ${served.slice(0, 8).join(', ')}${served.length > 8 ? ', …' : ''}` : 'it lists no model';
  const fix = served.length ? `pass --model ${served[0]}` : 'load a model in the server';
  return new InputError(`the server at ${baseUrl} does not serve model "${model}" (${list}); ${fix}${pull ? ` or run \`${pull}\`` : ''}`);
}
