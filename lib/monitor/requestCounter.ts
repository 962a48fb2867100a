// The requests a watched server serves during a monitor run, from what the server itself exposes, polled about
// once a second beside the sampler. Never guessed from CPU activity: a server exposing nothing usable is "not
// counted", with the reason and the flag that fixes it.
//   llama-server: GET /slots (on by default in recent builds, off with --no-slots; older builds need --slots):
//     one object per slot, `id_task` the id of the slot's current or last task, new for every request. A request
//     is a (slot, id_task) not seen before; the tasks on the slots at the first poll started before the window.
//     Polled state: a request that starts and ends between two polls on one slot is missed (a lower bound).
//     Tokens from GET /metrics (only with --metrics): `llamacpp:prompt_tokens_total` and
//     `llamacpp:tokens_predicted_total`, Prometheus counters added to as each request ends.
//   Ollama: GET /api/ps lists the loaded models; each one's `expires_at` is set again (now + keep_alive) by its
//     scheduler when the model's last request in flight ends. A change is one request; requests that overlap, or
//     end between two polls, show as one (a lower bound); with keep_alive 0 the model unloads after each request
//     and is counted when it appears again. Ollama exposes no token counters.
//   Other OpenAI-compatible servers: GET /metrics with vLLM's `vllm:request_success_total` (exact, a counter) and
//     `vllm:prompt_tokens_total` / `vllm:generation_tokens_total`; LM Studio and others expose none.
import type { MonitorRequests } from '../domain/jsonColumns';
import type { ServerProbe } from '../endpoint/probeEndpoint';
import { causeOf } from '../endpoint/readStreamLines';
import { describeNotCounted, type NotCountedReason } from './notCountedReason';

export const REQUEST_POLL_INTERVAL_MS = 1000;

/** The server a monitor watches, as probeEndpoint described it, and how it was found. */
export interface WatchedServer {
  probe: ServerProbe;
  origin: 'flag' | 'port';
}

export interface RequestCounter {
  /** One poll of the server (never throws: a failed poll is counted and its error kept). */
  poll(): Promise<void>;
  /** What is known so far, as stored. */
  snapshot(): MonitorRequests;
}

/** A counter whose polls have all failed so far says so (a later successful poll replaces it). */
function withFailures(counter: RequestCounter): RequestCounter {
  return {
    poll: counter.poll,
    snapshot() {
      const s = counter.snapshot();
      if (s.requests === null && s.notCounted === null && s.failedPolls > 0) setNotCounted(s, { code: 'pollsFailed', params: { error: s.lastError ?? 'unknown error' } });
      return s;
    },
  };
}

type Fetched = { status: number; text: string } | { error: string };

async function get(base: string, path: string, timeoutMs: number): Promise<Fetched> {
  try {
    const res = await fetch(new URL(path.replace(/^\//, ''), base), { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const e = err as { name?: string };
    return { error: e?.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : causeOf(err) };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Prometheus text format: the sum of every series of `name` (all label sets); null when absent. */
export function prometheusValue(text: string, name: string): number | null {
  let sum: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line.trim());
    if (!m || m[1] !== name) continue;
    const v = Number(m[3]);
    if (Number.isFinite(v)) sum = (sum ?? 0) + v;
  }
  return sum;
}

/** The message of a server's error body ({"error": {"message"}} or {"error": "…"}), else the status. */
function errorOf(f: { status: number; text: string }): string {
  const j = parseJson(f.text) as { error?: { message?: unknown } | string } | undefined;
  const message = typeof j?.error === 'string' ? j.error : typeof j?.error?.message === 'string' ? j.error.message : null;
  return message ? `HTTP ${f.status}: ${message}` : `HTTP ${f.status}`;
}

/** Sets (or clears) why requests are not counted: the English sentence and its code and values. */
function setNotCounted(state: MonitorRequests, reason: NotCountedReason | null): void {
  state.notCounted = reason ? describeNotCounted(reason, 'en') : null;
  state.notCountedCode = reason?.code ?? null;
  state.notCountedParams = reason?.params ?? null;
}

/** Nothing known yet: no server, no count. */
function emptySnapshot(): MonitorRequests {
  return {
    endpoint: null,
    kind: null,
    version: null,
    origin: null,
    method: null,
    exact: false,
    pollIntervalMs: REQUEST_POLL_INTERVAL_MS,
    requests: null,
    promptTokens: null,
    outputTokens: null,
    tokensMethod: null,
    notCounted: null,
    polls: 0,
    failedPolls: 0,
    lastError: null,
  };
}

/** The state every counter shares; the per-kind part fills requests, tokens and notCounted. */
function baseSnapshot(server: WatchedServer, method: string | null, exact: boolean): MonitorRequests {
  return { ...emptySnapshot(), endpoint: server.probe.baseUrl, kind: server.probe.kind, version: server.probe.version, origin: server.origin, method, exact };
}

/** Token counters read as differences from the first poll. */
function tokenDeltas() {
  let first: { prompt: number | null; output: number | null } | null = null;
  return (prompt: number | null, output: number | null) => {
    first ??= { prompt, output };
    return {
      prompt: prompt !== null && first.prompt !== null ? prompt - first.prompt : null,
      output: output !== null && first.output !== null ? output - first.output : null,
    };
  };
}

function llamaServerCounter(server: WatchedServer, timeoutMs: number): RequestCounter {
  const state = baseSnapshot(server, 'llama-server GET /slots (a new id_task on a slot is a request)', false);
  const base = server.probe.baseUrl;
  let baseline: Set<string> | null = null;
  const seen = new Set<string>();
  const tokens = tokenDeltas();
  let metricsOff: string | null = null;
  return {
    async poll() {
      state.polls++;
      const [slots, metrics] = await Promise.all([get(base, '/slots', timeoutMs), metricsOff === null ? get(base, '/metrics', timeoutMs) : Promise.resolve(null)]);
      if ('error' in slots) {
        state.failedPolls++;
        state.lastError = `GET /slots: ${slots.error}`;
        return;
      }
      const list = slots.status === 200 ? parseJson(slots.text) : undefined;
      if (!Array.isArray(list)) {
        // 501 "This server does not support slots endpoint. Start it with `--slots`" (or 404 on builds without it).
        state.method = null;
        state.requests = null;
        setNotCounted(state, slots.status === 200 ? { code: 'slotsUnreadable', params: {} } : { code: 'slotsOff', params: { answer: errorOf(slots) } });
      } else {
        const keys = list
          .filter((s): s is { id: number; id_task: number } => typeof s === 'object' && s !== null && typeof s.id === 'number' && typeof s.id_task === 'number' && s.id_task >= 0)
          .map((s) => `${s.id}:${s.id_task}`);
        if (baseline === null) baseline = new Set(keys);
        else for (const k of keys) if (!baseline.has(k)) seen.add(k);
        state.method = 'llama-server GET /slots (a new id_task on a slot is a request)';
        setNotCounted(state, null);
        state.requests = seen.size;
      }
      if (metrics && !('error' in metrics)) {
        if (metrics.status !== 200) {
          // 501 "This server does not support metrics endpoint. Start it with `--metrics`": asked once.
          metricsOff = errorOf(metrics);
        } else {
          const t = tokens(prometheusValue(metrics.text, 'llamacpp:prompt_tokens_total'), prometheusValue(metrics.text, 'llamacpp:tokens_predicted_total'));
          state.promptTokens = t.prompt;
          state.outputTokens = t.output;
          state.tokensMethod = 'llama-server GET /metrics (llamacpp:prompt_tokens_total, llamacpp:tokens_predicted_total; a request\'s tokens count when it ends)';
        }
      }
      if (metricsOff !== null && state.tokensMethod === null) state.tokensMethod = `not reported: GET /metrics is off (${metricsOff}); restart llama-server with --metrics to count tokens`;
    },
    snapshot: () => ({ ...state }),
  };
}

function ollamaCounter(server: WatchedServer, timeoutMs: number): RequestCounter {
  const state = baseSnapshot(server, 'Ollama GET /api/ps (each model\'s expires_at moves when a request to it ends)', false);
  state.tokensMethod = 'not reported: Ollama exposes no token counters';
  const base = server.probe.baseUrl;
  let last: Map<string, string> | null = null;
  let count = 0;
  return {
    async poll() {
      state.polls++;
      const ps = await get(base, '/api/ps', timeoutMs);
      if ('error' in ps || ps.status !== 200) {
        state.failedPolls++;
        state.lastError = `GET /api/ps: ${'error' in ps ? ps.error : errorOf(ps)}`;
        return;
      }
      const json = parseJson(ps.text) as { models?: Array<{ name?: unknown; model?: unknown; expires_at?: unknown }> } | undefined;
      const now = new Map<string, string>();
      for (const m of Array.isArray(json?.models) ? json.models : []) {
        const name = typeof m.model === 'string' ? m.model : typeof m.name === 'string' ? m.name : null;
        if (name !== null && typeof m.expires_at === 'string') now.set(name, m.expires_at);
      }
      if (last !== null) {
        // A model loaded during the window with a first expiry counts too: loading it served a request.
        for (const [name, expires] of now) if (last.get(name) !== expires) count++;
      }
      last = now;
      state.requests = count;
    },
    snapshot: () => ({ ...state }),
  };
}

function openAiCompatibleCounter(server: WatchedServer, timeoutMs: number): RequestCounter {
  const state = baseSnapshot(server, null, true);
  const base = server.probe.baseUrl;
  let first: number | null = null;
  const tokens = tokenDeltas();
  return {
    async poll() {
      state.polls++;
      const metrics = await get(base, '/metrics', timeoutMs);
      if ('error' in metrics) {
        state.failedPolls++;
        state.lastError = `GET /metrics: ${metrics.error}`;
        return;
      }
      const total = metrics.status === 200 ? prometheusValue(metrics.text, 'vllm:request_success_total') : null;
      if (total === null) {
        setNotCounted(state, { code: 'noCounter', params: { answer: metrics.status === 200 ? 'no vllm:request_success_total' : errorOf(metrics) } });
        return;
      }
      first ??= total;
      state.method = 'GET /metrics (vllm:request_success_total)';
      setNotCounted(state, null);
      state.requests = total - first;
      const t = tokens(prometheusValue(metrics.text, 'vllm:prompt_tokens_total'), prometheusValue(metrics.text, 'vllm:generation_tokens_total'));
      state.promptTokens = t.prompt;
      state.outputTokens = t.output;
      state.tokensMethod = 'GET /metrics (vllm:prompt_tokens_total, vllm:generation_tokens_total)';
    },
    snapshot: () => ({ ...state }),
  };
}

export function createRequestCounter(server: WatchedServer, timeoutMs = 2000): RequestCounter {
  if (server.probe.kind === 'llama-server') return withFailures(llamaServerCounter(server, timeoutMs));
  if (server.probe.kind === 'ollama') return withFailures(ollamaCounter(server, timeoutMs));
  return withFailures(openAiCompatibleCounter(server, timeoutMs));
}

/** The stored record of a monitor whose processes are not a known server: why its requests are not counted. */
export function notAServer(reason: NotCountedReason): MonitorRequests {
  const state = emptySnapshot();
  setNotCounted(state, reason);
  return state;
}
