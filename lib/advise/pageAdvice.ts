// The Which model page's advice: the latest profile of any machine in the database (the page may show a
// database copied from elsewhere), with the models on this disk among the candidates only when that profile is of
// the machine the dashboard's server runs on (same hardware fingerprint) — another machine's disk is not this one.
import type { Db } from '../db/openDb';
import { detectHardware, type HardwareFacts } from '../hardware/detectHardware';
import { discoverModels } from '../model/discoverModels';
import { memoryBudget } from '../model/memoryBudget';
import { getLatestMachineProfile, getModelAdvice, type ModelAdvice } from '../records/machineProfiles';
import type { Goal } from './advise';
import { diskCandidates } from './diskCandidates';

let serverMachine: Promise<HardwareFacts> | null = null;

/** The server's machine, detected once per process (static facts; systeminformation may take seconds). */
export function thisServerMachine(): Promise<HardwareFacts> {
  serverMachine ??= detectHardware();
  return serverMachine;
}

export interface PageAdvice extends ModelAdvice {
  /** The profile is this server's machine: the models on its disk are among the candidates. */
  onThisMachine: boolean;
}

export async function getPageAdvice(db: Db, goal: Goal): Promise<PageAdvice | null> {
  const latest = getLatestMachineProfile(db, null);
  if (!latest) return null;
  const here = await thisServerMachine();
  const onThisMachine = getLatestMachineProfile(db, here.fingerprint)?.id === latest.id;
  const onDisk = onThisMachine ? diskCandidates((await discoverModels(memoryBudget(here.gpus))).models) : undefined;
  const advice = getModelAdvice(db, { fingerprint: null, goal, onDisk });
  return advice ? { ...advice, onThisMachine } : null;
}
