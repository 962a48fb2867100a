// The flags of `wattbench forge`, each checked while commander parses (exit 2, one line) against its range in
// flagRanges.ts, which --help states.
import { InvalidArgumentError, Option } from 'commander';
import { FORGE_TYPES, parseParameterCount } from '../../lib/forge/forgeLlamaModel';
import { FLAG_RANGES, describeRange, type FlagRange } from './flagRanges';
import { rangeOption } from './parseOptions';

function ranged(flags: string, description: string, range: FlagRange): Option {
  return new Option(flags, `${description}, ${describeRange(range)}`).argParser(rangeOption(range));
}

/** 5e6 → "5M", 26e9 → "26B": the range's ends as --params reads them. */
const asCount = (n: number) => (n >= 1e9 ? `${n / 1e9}B` : `${n / 1e6}M`);

/** "25M", "1.5B": a count with its suffix, within FLAG_RANGES.forgeParams. */
export function parseParamsOption(value: string): number {
  const range = FLAG_RANGES.forgeParams;
  const expected = `a parameter count such as 25M, 110M or 1.5B, from ${asCount(range.min)} to ${asCount(range.max)}`;
  const n = parseParameterCount(value);
  if (n === null) throw new InvalidArgumentError(`expected ${expected}, got "${value}"`);
  if (n < range.min || n > range.max) throw new InvalidArgumentError(`expected ${expected}, got ${value.trim()}`);
  return n;
}

export function forgeOptions(): Option[] {
  const r = FLAG_RANGES;
  return [
    new Option('--params <count>', `parameters, such as 25M, 110M, 350M or 1B (${asCount(r.forgeParams.min)} to ${asCount(r.forgeParams.max)}): a llama-family shape of that size`).argParser(parseParamsOption),
    new Option('--type <type>', 'tensor type of the weights (norms stay f32)').choices(FORGE_TYPES).default('f16'),
    ranged('--layers <n>', 'transformer blocks', r.forgeLayers),
    ranged('--embd <n>', 'embedding width (heads, KV heads and feed-forward follow it unless given)', r.forgeEmbd),
    ranged('--heads <n>', 'attention heads', r.forgeHeads),
    ranged('--kv-heads <n>', 'key/value heads (a divisor of --heads)', r.forgeHeads),
    ranged('--ff <n>', 'feed-forward width', r.forgeFf),
    ranged('--vocab <n>', 'vocabulary size', r.forgeVocab),
    ranged('--context <tokens>', 'training context written in the metadata', r.forgeContext),
    ranged('--seed <n>', 'seed of the random weights (default: 42)', r.seed),
  ];
}
