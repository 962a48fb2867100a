// Switching a context's thread count between prompt processing and generation.
//
// llama.cpp has one thread count for batches (prompt processing) and one for single tokens (generation), and
// the fastest counts often differ: prompt processing is compute-bound and gains from every core, generation is
// memory-bound and, through Node, shares the cores with the event loop. node-llama-cpp 3.21 sets both counts
// to the context's one `threads` value before every decode, from the context's thread reservation. With
// `maxThreads: 0` (see loadLlama) that reservation hands out exactly the context's wanted count, so changing
// the wanted count between decodes switches the threads of the next decode. The fields are internal to
// node-llama-cpp, which is pinned to an exact version; `supportsPhaseThreads` checks they are still there.
import type { LlamaContext } from 'node-llama-cpp';

interface ContextInternals {
  _idealThreads?: unknown;
  _threadSplitterConsumer?: { _wantedThreads?: unknown };
}

function internals(context: LlamaContext): ContextInternals {
  return context as unknown as ContextInternals;
}

/** True when this node-llama-cpp exposes the thread fields setContextThreads changes. */
export function supportsPhaseThreads(context: LlamaContext): boolean {
  return typeof internals(context)._idealThreads === 'number';
}

/** Sets the threads of the context's next decodes (prompt batches and single tokens alike). */
export function setContextThreads(context: LlamaContext, threads: number): void {
  const ctx = internals(context);
  if (typeof ctx._idealThreads !== 'number' || ctx._idealThreads === threads) return;
  ctx._idealThreads = threads;
  // A reservation held since the previous decode keeps its own count until it is released.
  const consumer = ctx._threadSplitterConsumer;
  if (consumer && typeof consumer._wantedThreads === 'number') consumer._wantedThreads = threads;
}
