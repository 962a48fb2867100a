// wattbench's generation loop: decodes and greedily samples many tokens in one native call, on one thread.
//
// node-llama-cpp 3.21.1 makes two asynchronous native calls per generated token (decode, then sample), each a
// hand-off to a libuv worker and back to the event loop. On small machines and VMs those wake-ups cost a
// fixed 0.3–1 ms per token (docs/performance.md), which is most of a small model's token time. This addon
// runs the loop llama-bench runs — decode, read the logits, take the argmax, decode the next — on the
// context node-llama-cpp created, in one worker, stamping each token with the process's monotonic clock
// (uv_hrtime, the clock behind process.hrtime). Greedy sampling only: temperature 0 is what the runner uses
// for measurements; anything else stays on node-llama-cpp's sampler.
#include <napi.h>
#include <uv.h>

#include <cstring>
#include <string>
#include <vector>

#include "AddonContext.h"
#include "llama.h"

namespace {

// Two int32 shared with JavaScript: [0] abort request (JS writes 1), [1] tokens generated so far (native writes).
struct Control {
  volatile int32_t* abort = nullptr;
  volatile int32_t* progress = nullptr;
};

// The first token with the highest logit, as llama.cpp's greedy sampler picks it. The maximum is taken in 16
// independent lanes (vectorised by the compiler; a single running maximum is a dependency chain), then the
// first index holding it: 24 → 12 µs on a 32k vocabulary here, and 10 µs with the widest vector unit the CPU
// has (picked at load time by the compiler's function clones, so the binary still runs on any x86-64 CPU).
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
int32_t greedyToken(const float* logits, int32_t n) {
  constexpr int32_t LANES = 16;
  float lane[LANES];
  for (int32_t l = 0; l < LANES; l++) lane[l] = logits[0];
  int32_t t = 0;
  for (; t + LANES <= n; t += LANES)
    for (int32_t l = 0; l < LANES; l++) lane[l] = logits[t + l] > lane[l] ? logits[t + l] : lane[l];
  float best = lane[0];
  for (int32_t l = 1; l < LANES; l++) best = lane[l] > best ? lane[l] : best;
  for (; t < n; t++) best = logits[t] > best ? logits[t] : best;
  for (int32_t i = 0; i < n; i++)
    if (logits[i] == best) return i;
  return 0;  // every logit NaN: what the greedy sampler returns too
}

class GenerateWorker : public Napi::AsyncWorker {
 public:
  GenerateWorker(Napi::Env env, Napi::Object contextObject, llama_context* ctx, llama_seq_id seqId, llama_pos startPos,
                 llama_token firstToken, int32_t maxTokens, bool ignoreEos, int32_t threads, int32_t threadsBatch,
                 Napi::Int32Array control)
      : Napi::AsyncWorker(env, "wattbenchGenerate"),
        deferred(Napi::Promise::Deferred::New(env)),
        ctx(ctx), seqId(seqId), startPos(startPos), firstToken(firstToken), maxTokens(maxTokens),
        ignoreEos(ignoreEos), threads(threads), threadsBatch(threadsBatch) {
    // Keep node-llama-cpp's context object and the control array alive while the loop runs.
    contextRef = Napi::Persistent(contextObject);
    controlRef = Napi::Persistent(control);
    controls.abort = control.Data();
    controls.progress = control.Data() + 1;
    tokens.reserve(maxTokens > 0 ? maxTokens : 0);
    stamps.reserve(maxTokens > 0 ? maxTokens : 0);
  }

  Napi::Promise Promise() { return deferred.Promise(); }

 protected:
  void Execute() override {
    const llama_model* model = llama_get_model(ctx);
    const llama_vocab* vocab = llama_model_get_vocab(model);
    const int32_t nVocab = llama_vocab_n_tokens(vocab);
    llama_set_n_threads(ctx, threads, threadsBatch);
    llama_batch batch = llama_batch_init(1, 0, 1);
    llama_token current = firstToken;
    stop = "max-tokens";
    for (int32_t i = 0; i < maxTokens; i++) {
      if (*controls.abort != 0) { stop = "aborted"; break; }
      batch.n_tokens = 1;
      batch.token[0] = current;
      batch.pos[0] = startPos + i;
      batch.n_seq_id[0] = 1;
      batch.seq_id[0][0] = seqId;
      batch.logits[0] = 1;
      const int32_t status = llama_decode(ctx, batch);
      if (status != 0) {
        error = status == 1 ? "no KV cache slot for the next token (context full)" : "llama_decode failed with status " + std::to_string(status);
        break;
      }
      const float* logits = llama_get_logits_ith(ctx, -1);
      if (logits == nullptr) { error = "llama.cpp returned no logits"; break; }
      const int32_t best = greedyToken(logits, nVocab);
      const uint64_t stamp = uv_hrtime();
      if (!ignoreEos && llama_vocab_is_eog(vocab, best)) { stop = "eog"; eogAtNs = stamp; break; }
      tokens.push_back(best);
      stamps.push_back(static_cast<double>(stamp));
      *controls.progress = static_cast<int32_t>(tokens.size());
      current = best;
    }
    llama_batch_free(batch);
    // The cells this loop added are not known to node-llama-cpp's sequence: remove them, so its next
    // clearHistory (which erases the positions it knows) leaves the cache empty.
    llama_memory_seq_rm(llama_get_memory(ctx), seqId, startPos, -1);
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (!error.empty()) {
      deferred.Reject(Napi::Error::New(env, error).Value());
      return;
    }
    Napi::Object result = Napi::Object::New(env);
    Napi::Int32Array tokenArray = Napi::Int32Array::New(env, tokens.size());
    Napi::Float64Array stampArray = Napi::Float64Array::New(env, stamps.size());
    for (size_t i = 0; i < tokens.size(); i++) {
      tokenArray[i] = tokens[i];
      stampArray[i] = stamps[i];
    }
    result.Set("tokens", tokenArray);
    result.Set("stampsNs", stampArray);
    result.Set("stop", Napi::String::New(env, stop));
    result.Set("eogAtNs", eogAtNs == 0 ? env.Null() : Napi::Number::New(env, static_cast<double>(eogAtNs)));
    deferred.Resolve(result);
  }

  void OnError(const Napi::Error& err) override { deferred.Reject(err.Value()); }

 private:
  Napi::Promise::Deferred deferred;
  Napi::ObjectReference contextRef;
  Napi::Reference<Napi::Int32Array> controlRef;
  Control controls;
  llama_context* ctx;
  llama_seq_id seqId;
  llama_pos startPos;
  llama_token firstToken;
  int32_t maxTokens;
  bool ignoreEos;
  int32_t threads;
  int32_t threadsBatch;
  std::vector<llama_token> tokens;
  std::vector<double> stamps;
  std::string stop;
  std::string error;
  uint64_t eogAtNs = 0;
};

// node-llama-cpp's AddonContext behind its JS `_ctx` object, checked against what JavaScript knows of it: the
// layout comes from node-llama-cpp's own header, and a context size that does not match means it is not the
// layout this addon was built against, so the loop refuses rather than touch the wrong memory.
AddonContext* unwrapContext(Napi::Env env, Napi::Object contextObject, uint32_t expectedContextSize) {
  void* raw = nullptr;
  if (napi_unwrap(env, contextObject, &raw) != napi_ok || raw == nullptr) {
    Napi::TypeError::New(env, "not a node-llama-cpp context").ThrowAsJavaScriptException();
    return nullptr;
  }
  auto* context = static_cast<AddonContext*>(raw);
  if (context->context_params.n_ctx != expectedContextSize || !context->contextLoaded || context->disposed || context->ctx == nullptr) {
    Napi::Error::New(env, "node-llama-cpp's context does not have the layout this addon was built for").ThrowAsJavaScriptException();
    return nullptr;
  }
  return context;
}

Napi::Value Generate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsObject()) {
    Napi::TypeError::New(env, "generate(context, options)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object contextObject = info[0].As<Napi::Object>();
  Napi::Object options = info[1].As<Napi::Object>();
  auto number = [&](const char* key) { return options.Get(key).As<Napi::Number>(); };
  AddonContext* context = unwrapContext(env, contextObject, number("contextSize").Uint32Value());
  if (context == nullptr) return env.Undefined();
  Napi::Value control = options.Get("control");
  if (!control.IsTypedArray() || control.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      control.As<Napi::Int32Array>().ElementLength() < 2) {
    Napi::TypeError::New(env, "options.control must be an Int32Array of 2").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto* worker = new GenerateWorker(env, contextObject, context->ctx, number("sequenceId").Int32Value(),
                                    number("startPos").Int32Value(), number("firstToken").Int32Value(),
                                    number("maxTokens").Int32Value(), options.Get("ignoreEos").ToBoolean().Value(),
                                    number("threads").Int32Value(), number("threadsBatch").Int32Value(),
                                    control.As<Napi::Int32Array>());
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("generate", Napi::Function::New(env, Generate));
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  return exports;
}

}  // namespace

NODE_API_MODULE(wattbench_generate, Init)
