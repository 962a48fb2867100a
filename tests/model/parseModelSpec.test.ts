// The syntax of --model: every form node-llama-cpp resolves is accepted, anything else is bad input (exit 2).
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { parseModelSpec } from '../../lib/model/parseModelSpec';
import { ExitCode, InputError } from '../../lib/errors/WattbenchError';

describe('parseModelSpec', () => {
  it('reads each accepted form', () => {
    expect(parseModelSpec('models/a.gguf')).toEqual({ kind: 'local', path: path.resolve('models/a.gguf') });
    expect(parseModelSpec('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M')).toEqual({ kind: 'hf', owner: 'Qwen', repo: 'Qwen2.5-0.5B-Instruct-GGUF', quant: 'Q4_K_M' });
    expect(parseModelSpec('hf:owner/repo')).toEqual({ kind: 'hf', owner: 'owner', repo: 'repo', quant: undefined });
    expect(parseModelSpec('hf:owner/repo/sub/model-Q8_0.gguf')).toEqual({ kind: 'hf', owner: 'owner', repo: 'repo', file: 'sub/model-Q8_0.gguf', branch: undefined });
    expect(parseModelSpec('hf://owner/repo/model.gguf#dev')).toMatchObject({ kind: 'hf', file: 'model.gguf', branch: 'dev' });
    // node-llama-cpp reads the prefixes in lower case only; anything else is a file name, as it would be there.
    expect(parseModelSpec('HF:owner/repo')).toEqual({ kind: 'local', path: path.resolve('HF:owner/repo') });
    // Ollama's names: namespace library and tag latest by default, as `ollama run` reads them.
    expect(parseModelSpec('ollama:qwen2.5')).toEqual({ kind: 'ollama', host: 'registry.ollama.ai', namespace: 'library', name: 'qwen2.5', tag: 'latest' });
    expect(parseModelSpec('ollama:qwen2.5:0.5b-instruct-q4_K_M')).toMatchObject({ name: 'qwen2.5', tag: '0.5b-instruct-q4_K_M' });
    expect(parseModelSpec('ollama:someone/model:q8')).toMatchObject({ namespace: 'someone', name: 'model', tag: 'q8' });
    expect(parseModelSpec('ollama:hf.co/org/repo-GGUF:Q4_K_M')).toEqual({ kind: 'ollama', host: 'hf.co', namespace: 'org', name: 'repo-GGUF', tag: 'Q4_K_M' });
    const url = parseModelSpec('https://example.org/m.gguf');
    expect(url.kind === 'url' && url.url.host).toBe('example.org');
  });

  it('rejects malformed specs as bad input, naming the accepted forms', () => {
    for (const spec of ['', 'hf:', 'hf:owner', 'hf:owner/', 'hf:/repo', 'hf:owner/repo:', 'hf:owner/re po', 'hf:owner/repo/', 'hf:owner/repo/a.bin', 'hf:owner/repo/../a.gguf', 'hf:owner/repo#main', 'https://', 'http://[::1', 'ollama:', 'ollama:name:', 'ollama:a:b:c', 'ollama:a/b/c/d', 'ollama:../x', 'ollama:na me']) {
      let error: unknown;
      try {
        parseModelSpec(spec);
      } catch (err) {
        error = err;
      }
      expect(error, spec).toBeInstanceOf(InputError);
      expect((error as InputError).exitCode).toBe(ExitCode.badInput);
      expect((error as InputError).message, spec).toMatch(/is not a valid model: .*; pass a local \.gguf path, hf:owner\/repo, hf:owner\/repo:quant .* or an https:\/\/ URL/);
      expect((error as InputError).message).not.toContain('\n');
    }
  });
});
