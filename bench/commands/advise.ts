// `wattbench advise`: which model for this machine — the catalogue, the database's models and the models on this
// disk (`wattbench models`), predicted from the machine's latest profile (`wattbench probe`), ranked for a goal.
import fs from 'node:fs';
import os from 'node:os';
import { Option, type Command } from 'commander';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { detectHardware } from '../../lib/hardware/detectHardware';
import { InputError } from '../../lib/errors/WattbenchError';
import { getModelAdvice } from '../../lib/records/machineProfiles';
import { GOALS, type Goal } from '../../lib/advise/advise';
import { diskCandidates } from '../../lib/advise/diskCandidates';
import { discoverModels } from '../../lib/model/discoverModels';
import { memoryBudget } from '../../lib/model/memoryBudget';
import { dbOption, jsonOption } from '../options/commonOptions';
import { energyLabelOf, formatAdvice } from '../output/formatAdvice';

export function registerAdviseCommand(program: Command): void {
  program
    .command('advise')
    .description("which model for this machine: fits, predicted speed, time to first token and energy, from this machine's profile (`wattbench probe`)")
    .addOption(new Option('--goal <goal>', 'rank for speed (fastest), energy (fewest joules per answer) or largest (the largest model at reading speed, ~10 tok/s)').choices([...GOALS]).default('speed'))
    .addOption(dbOption())
    .addOption(jsonOption('one JSON object: the profile, the pick and every model with its predictions'))
    .action(async (opts: { goal: Goal; db?: string; json?: boolean }) => {
      const dbPath = resolveDbPath(opts.db);
      const noProfile = `no profile of this machine in ${dbPath}; run \`wattbench probe${opts.db ? ` --db ${opts.db}` : ''}\` first`;
      if (!fs.existsSync(dbPath)) throw new InputError(noProfile);
      const hardware = await detectHardware();
      const db = openDb(dbPath, { readonly: true });
      try {
        // This machine, now: the memory free at this moment is what a model would get.
        const onDisk = diskCandidates((await discoverModels(memoryBudget(hardware.gpus))).models);
        const advice = getModelAdvice(db, { fingerprint: hardware.fingerprint, goal: opts.goal, ramBytes: os.freemem(), onDisk });
        if (!advice) throw new InputError(noProfile);
        if (opts.json) process.stdout.write(`${JSON.stringify(adviceJson(advice))}\n`);
        else process.stdout.write(`${formatAdvice(advice)}\n`);
      } finally {
        db.$client.close();
      }
    });
}

function adviceJson(advice: NonNullable<ReturnType<typeof getModelAdvice>>) {
  const { profile, goal, budget, ranked, pick } = advice;
  return {
    machine: profile.machineLabel,
    goal,
    budget,
    profile: { id: profile.id, createdAt: profile.createdAt, ...profile.fit, points: undefined, runIds: profile.fit.points.map((p) => p.runId) },
    pick: pick?.candidate.id ?? null,
    models: ranked.map((a, i) => ({
      rank: i + 1,
      ...a.candidate,
      needBytes: a.needBytes,
      fits: a.fits,
      fitsRam: a.fitsRam,
      fitsVram: a.fitsVram,
      extrapolated: a.extrapolated,
      predicted: true,
      genTokensPerSec: a.genTokensPerSec,
      ttftMs: a.ttftMs,
      joulesPer1000Tokens: a.joulesPer1000Tokens,
      energyLabel: energyLabelOf(a),
    })),
  };
}
