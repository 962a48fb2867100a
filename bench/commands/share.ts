// `wattbench share --pending`: retries the uploads this database queued (a leader out of reach, a Wi-Fi drop);
// and the lines every sharing command prints about an upload (`join`, `run --share`).
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { desc, eq } from 'drizzle-orm';
import { ExitCode, InputError } from '../../lib/errors/WattbenchError';
import { openDb, type Db } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { runShares } from '../../lib/db/schema';
import { runs } from '../../lib/db/schema';
import { dbOption } from '../options/commonOptions';
import { escapeTerminal } from '../output/escapeTerminal';
import { printError } from '../output/printError';
import type { JoinTarget } from '../../lib/workshop/client/joinLink';
import { anonymousNickname } from '../../lib/workshop/client/nickname';
import { clientIdOf } from '../../lib/workshop/client/uploadQueue';
import { retryPendingShares, shareRun, type ShareResult } from '../../lib/workshop/client/shareRun';

/** One line per upload: stored (or already there), queued for later, or refused for good. */
export function describeShare({ row, outcome }: ShareResult): string {
  const where = `${row.serverUrl}/${row.code}`;
  if (outcome.kind === 'stored') {
    return `${pc.green('Published')} run ${row.runId} to ${escapeTerminal(where)} as ${escapeTerminal(row.nickname)}${outcome.duplicate ? ' (it was already there)' : ''}`;
  }
  if (outcome.kind === 'failed') {
    return `${pc.yellow('Queued')} run ${row.runId} for ${escapeTerminal(where)}: ${escapeTerminal(outcome.message)}; it is kept here and retried by the next \`wattbench join\` or \`wattbench share --pending\``;
  }
  return `${pc.red('Refused')}: the leader at ${escapeTerminal(where)} did not accept run ${row.runId} (${escapeTerminal(outcome.status === 0 ? outcome.message : `HTTP ${outcome.status}: ${outcome.message}`)}); it will not be retried${outcome.status === 401 ? ' — check the token in the join link' : ''}`;
}

/** The nickname this database last published under, else a new anonymous one. */
export function lastNickname(db: Db): string {
  return db.select({ nickname: runShares.nickname }).from(runShares).orderBy(desc(runShares.id)).limit(1).get()?.nickname ?? anonymousNickname();
}

/** Pushes each completed run of `runIds` to the leader; 0 when all were stored, 1 otherwise (queued or refused). */
export async function shareCompletedRuns(
  db: Db,
  target: JoinTarget & { token: string },
  runIds: number[],
  identity: { nickname: string; clientId?: string },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  // `join` passes the id its progress reports used, so the room sees one machine.
  const clientId = identity.clientId ?? clientIdOf(db);
  const { nickname } = identity;
  let code: number = ExitCode.ok;
  for (const runId of runIds) {
    const status = db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).get()?.status;
    if (status !== 'completed') {
      process.stderr.write(pc.dim(`Run ${runId} is ${status ?? 'missing'}: only completed runs are shared.\n`));
      continue;
    }
    const result = await shareRun(db, { runId, serverUrl: target.origin, code: target.code, token: target.token, clientId, nickname });
    out.write(`${describeShare(result)}\n`);
    if (result.outcome.kind !== 'stored') code = ExitCode.runFailed;
  }
  return code;
}

/** Retries the queue, printing one line per upload; the number still not stored. */
export async function retryQueue(db: Db): Promise<{ tried: number; left: number }> {
  const results = await retryPendingShares(db, (r) => process.stdout.write(`${describeShare(r)}\n`));
  return { tried: results.length, left: results.filter((r) => r.outcome.kind !== 'stored').length };
}

export function registerShareCommand(program: Command): void {
  program
    .command('share')
    .description('publish runs to a workshop leader: --pending retries the uploads that could not reach it')
    .addOption(new Option('--pending', 'retry every queued upload of this database'))
    .addOption(dbOption())
    .action(async (opts: { pending?: boolean; db?: string }) => {
      if (!opts.pending) throw new InputError('wattbench share needs --pending (retry the queued uploads); to publish a new run use `wattbench run … --share URL --token T` or `wattbench join URL`');
      const db = openDb(resolveDbPath(opts.db));
      try {
        const { tried, left } = await retryQueue(db);
        if (tried === 0) process.stdout.write('No queued uploads: nothing to share.\n');
        else if (left > 0) printError(`${left} of ${tried} upload${tried === 1 ? '' : 's'} not stored; the queued ones are retried by the next \`wattbench share --pending\``);
        process.exitCode = left > 0 ? ExitCode.runFailed : ExitCode.ok;
      } finally {
        db.$client.close();
      }
    });
}
