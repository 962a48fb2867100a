import { InputError } from '../../lib/errors/WattbenchError';

export function parseRunId(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InputError(`"${value}" is not a run id; run ids are whole numbers, see wattbench list`);
  return Number(value);
}
