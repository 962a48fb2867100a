/** What a forged model is good for, said wherever one is made (forge) or benchmarked in place of a real one (demo). */
export const SYNTHETIC_NOTE =
  'Synthetic model: random weights. Its speed, memory and energy per token are real for a model of this shape and type; the text it writes is gibberish.';
