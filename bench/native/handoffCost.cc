// Benchmark (not a test): what a hand-off to another thread costs a generated token. The same greedy generation
// loop on llama.cpp, run four ways in one process, alternating: on the calling thread; with each token's decode
// and sampling handed to a waiting worker thread as two hand-offs (node-llama-cpp's decode, then sample) or one;
// and decode alone (llama-bench's tg, which samples nothing). docs/performance.md has the figures.
//   g++ -O2 -std=c++17 -I tmp/llama.cpp/include -I tmp/llama.cpp/ggml/include bench/native/handoffCost.cc \
//     -L tmp/llama.cpp/build/bin -lllama -Wl,-rpath,$PWD/tmp/llama.cpp/build/bin -o tmp/handoffCost -lpthread
//   tmp/handoffCost model.gguf [threads=1]
// (tmp/llama.cpp is the llama.cpp source node-llama-cpp ships, built by bench/fidelity.ts.)
#include "llama.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

using Clock = std::chrono::steady_clock;

// A worker that runs one job at a time and sleeps in between, as a libuv pool thread does.
struct Worker {
  std::mutex m;
  std::condition_variable cv;
  std::function<void()> job;
  bool done = false, quit = false;
  std::thread thread{[this] {
    for (;;) {
      std::function<void()> j;
      {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [this] { return job || quit; });
        if (quit) return;
        j = std::move(job);
        job = nullptr;
      }
      j();
      {
        std::lock_guard<std::mutex> lock(m);
        done = true;
      }
      cv.notify_all();
    }
  }};
  void run(std::function<void()> f) {
    {
      std::lock_guard<std::mutex> lock(m);
      job = std::move(f);
      done = false;
    }
    cv.notify_all();
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [this] { return done; });
  }
  ~Worker() {
    {
      std::lock_guard<std::mutex> lock(m);
      quit = true;
    }
    cv.notify_all();
    thread.join();
  }
};

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: handoffCost model.gguf [threads]\n");
    return 2;
  }
  const int threads = argc > 2 ? atoi(argv[2]) : 1;
  llama_backend_init();
  llama_log_set([](ggml_log_level, const char*, void*) {}, nullptr);
  llama_model* model = llama_model_load_from_file(argv[1], llama_model_default_params());
  if (!model) return 1;
  const llama_vocab* vocab = llama_model_get_vocab(model);
  const int nVocab = llama_vocab_n_tokens(vocab);
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = cp.n_batch = cp.n_ubatch = 256;
  cp.n_threads = cp.n_threads_batch = threads;
  cp.no_perf = true;
  llama_context* ctx = llama_init_from_model(model, cp);
  Worker worker;
  const char* names[] = {"on the calling thread", "2 hand-offs per token", "1 hand-off per token", "decode only (no sampling)"};
  for (int round = 0; round < 3; round++) {
    for (int mode = 0; mode < 4; mode++) {
      double best = 0;
      for (int rep = 0; rep < 4; rep++) {
        llama_memory_clear(llama_get_memory(ctx), true);
        llama_token token = llama_vocab_bos(vocab);
        auto t0 = Clock::now();
        for (int i = 0; i < 129; i++) {
          if (i == 1) t0 = Clock::now();  // the first decode is the warm-up
          llama_batch batch = llama_batch_get_one(&token, 1);
          auto decode = [&] { llama_decode(ctx, batch); llama_synchronize(ctx); };
          auto sample = [&] {
            const float* logits = llama_get_logits_ith(ctx, -1);
            int top = 0;
            for (int t = 1; t < nVocab; t++) if (logits[t] > logits[top]) top = t;
            token = top;
          };
          if (mode == 0) { decode(); sample(); }
          else if (mode == 1) { worker.run(decode); worker.run(sample); }
          else if (mode == 2) worker.run([&] { decode(); sample(); });
          else { decode(); token = (token * 7 + 13) % nVocab; }
        }
        const double tokS = 128 / std::chrono::duration<double>(Clock::now() - t0).count();
        if (rep > 0 && tokS > best) best = tokS;
      }
      printf("round %d  %-28s %7.0f tok/s\n", round, names[mode], best);
    }
  }
  llama_free(ctx);
  llama_model_free(model);
  return 0;
}
