// The energy lines of the terminal summary (filled in by the energy issue).
import type { RunRecord } from '../../lib/records/getRunRecord';

export function formatEnergyLines(_record: RunRecord): string[] {
  return [];
}
