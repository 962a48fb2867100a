// The one line `run` prints when the llama.cpp binary leaves speed on the table, with the fix.
import { estimateBuildSeconds } from '../../lib/engine/buildEngine';
import type { EngineInfo } from '../../lib/engine/describeEngine';

export function engineWarning(engine: EngineInfo): string | null {
  if (engine.missingInstructionSets.length === 0) return null;
  const minutes = Math.max(1, Math.round(estimateBuildSeconds('cpu') / 60));
  return `the ${engine.kind === 'prebuilt' ? 'prebuilt' : 'local'} llama.cpp binary does not use ${engine.missingInstructionSets.join(', ')}, which this CPU has, so its figures understate this machine; run \`wattbench setup\` to build one for it (about ${minutes} min, offline)`;
}
