// The two streaming clients and the probe against the test server (a separate process streaming stories260K's
// real tokens in llama-server's and Ollama's wire formats).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { streamOpenAi } from '../../lib/endpoint/openaiStream';
import { streamOllama } from '../../lib/endpoint/ollamaStream';
import { probeEndpoint } from '../../lib/endpoint/probeEndpoint';
import type { ServerRequest } from '../../lib/endpoint/types';
import { startTestServer, type TestServer } from '../helpers/testServer';

const opts = { idleTimeoutMs: 30_000, connectTimeoutMs: 30_000 };
const request = (model: string, format: 'chat' | 'completion'): ServerRequest => ({ model, format, text: 'Once upon a time', maxTokens: 8, temperature: 0, seed: 1, ignoreEos: false });

describe('streaming clients', () => {
  let llamaServer: TestServer;
  let ollama: TestServer;
  beforeAll(async () => {
    [llamaServer, ollama] = await Promise.all([startTestServer({ flavour: 'llama-server' }), startTestServer({ flavour: 'ollama' })]);
  });
  afterAll(async () => {
    await Promise.all([llamaServer?.stop(), ollama?.stop()]);
  });

  it('reads SSE chat and completion streams: one stamp per text chunk, usage and timings from the last chunks', async () => {
    for (const format of ['chat', 'completion'] as const) {
      const reply = await streamOpenAi(`${llamaServer.url}/`, 'llama-server', request('stories260K.gguf', format), opts);
      expect(reply.aborted).toBe(false);
      expect(reply.outputTokens).toBe(8);
      expect(reply.finishReason).toBe('length');
      // The fixture, like llama-server, streams one token a chunk.
      expect(reply.contentStamps).toHaveLength(8);
      expect(reply.timings).toMatchObject({ source: 'llama-server', genTokens: 8 });
      expect(reply.promptTokens).toBe(reply.timings!.promptTokens);
      expect(reply.text.length).toBeGreaterThan(0);
      for (let i = 1; i < reply.contentStamps.length; i++) expect(reply.contentStamps[i]).toBeGreaterThanOrEqual(reply.contentStamps[i - 1]);
    }
  });

  it("reads Ollama's NDJSON: counts and ns durations from the final object", async () => {
    const reply = await streamOllama(`${ollama.url}/`, request('stories:260k', 'chat'), opts);
    expect(reply.outputTokens).toBe(8);
    expect(reply.timings).toMatchObject({ source: 'ollama', genTokens: 8, loadMs: 1 });
    expect(reply.timings!.genMs).toBeGreaterThan(0);
    expect(reply.contentStamps).toHaveLength(8);
  });

  it("names the server's error body for an unknown model", async () => {
    await expect(streamOpenAi(`${llamaServer.url}/`, 'llama-server', request('nope', 'chat'), opts)).rejects.toThrow("POST /v1/chat/completions: the server answered 404: model 'nope' not found");
    await expect(streamOllama(`${ollama.url}/`, request('nope', 'completion'), opts)).rejects.toThrow("POST /api/generate: the server answered 404: model 'nope' not found");
  });

  it('probes: refuses --api ollama on a server without it, and finds an Ollama model by its name without the tag', async () => {
    await expect(probeEndpoint(llamaServer.url, { model: 'stories260K.gguf', api: 'ollama', timeoutMs: 5000 })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("does not speak Ollama's API") });
    const probe = await probeEndpoint(`${llamaServer.url}/v1/`, { model: 'stories260K.gguf', timeoutMs: 5000 });
    expect(probe).toMatchObject({ baseUrl: `${llamaServer.url}/`, api: 'openai', kind: 'llama-server', version: 'b9999-fixture' });
    expect(probe.modelInfo?.props).toMatchObject({ model_alias: 'stories260K.gguf', n_ctx: 512 });
  });
});
