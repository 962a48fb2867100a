// `wattbench join URL`: a participant's side of a workshop. Reads the leader's manifest, downloads the model(s)
// missing here (resumable, SHA-256 checked), runs the suite through the same path as `wattbench run`, shows the
// result and where it would rank, asks before publishing, and uploads it (queued when the leader is out of reach).
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, InputError, WattbenchError } from '../../lib/errors/WattbenchError';
import { openDb } from '../../lib/db/openDb';
import { resolveDbPath } from '../../lib/db/dbPath';
import { detectHardware, defaultThreads } from '../../lib/hardware/detectHardware';
import { eq } from 'drizzle-orm';
import { runs } from '../../lib/db/schema';
import { parseJoinLink, type JoinTarget } from '../../lib/workshop/client/joinLink';
import { fetchLeaderboard, fetchManifest, postProgress, type ProgressReport } from '../../lib/workshop/client/leaderClient';
import { downloadModel } from '../../lib/workshop/client/downloadModel';
import { workshopCacheDir } from '../../lib/workshop/client/cacheDir';
import { cleanNickname } from '../../lib/workshop/client/nickname';
import { clientIdOf } from '../../lib/workshop/client/uploadQueue';
import { rankInRoom, runFigures } from '../../lib/workshop/client/rankInRoom';
import { dbOption } from '../options/commonOptions';
import { rangeOption } from '../options/parseOptions';
import { FLAG_RANGES, describeRange } from '../options/flagRanges';
import { createDownloadProgress } from '../output/progress';
import { escapeTerminal } from '../output/escapeTerminal';
import { printError } from '../output/printError';
import { formatNumber } from '../../lib/format/numbers';
import { DEFAULT_RUN_OPTIONS, runCommand } from './run';
import { lastNickname, retryQueue, shareCompletedRuns } from './share';

/** What each leaderboard order is called in the rank line. */
const RANK_KEYS = { tps: 'generation speed (tok/s)', jPerToken: 'energy per token (J/token)', jPerCorrect: 'energy per correct answer (J)' } as const;

interface JoinOptions {
  token?: string;
  yes?: boolean;
  nickname?: string;
  threads?: number;
  db?: string;
  cacheDir?: string;
}

export function registerJoinCommand(program: Command): void {
  program
    .command('join')
    .description("join a workshop: download the leader's model, run its suite here, then publish the result to the room")
    .argument('<url>', 'the join link the leader printed: http://HOST:PORT/CODE#TOKEN')
    .option('--token <token>', "the workshop's upload token (default: the link's #fragment)")
    .option('-y, --yes', 'publish without asking')
    .option('--nickname <name>', 'the name the room sees (default: an anonymous adjective-animal)')
    .addOption(new Option('-t, --threads <n>', `CPU threads for llama.cpp, ${describeRange(FLAG_RANGES.threads)} (default: physical cores − 1)`).argParser(rangeOption(FLAG_RANGES.threads)))
    .addOption(dbOption())
    .option('--cache-dir <dir>', "where the leader's models are kept (default: WATTBENCH_WORKSHOP_DIR, else ~/.cache/wattbench/workshop)")
    .action(async (url: string, opts: JoinOptions) => {
      process.exitCode = await joinCommand(url, opts);
    });
}

/**
 * Reports to the leader at most once a second (the projector's live list), one at a time so they arrive in
 * order: a routine report is dropped while one is in flight, a phase change waits its turn.
 */
function progressReporter(target: JoinTarget, base: Pick<ProgressReport, 'clientId' | 'nickname'>) {
  let last = 0;
  let busy = false;
  let chain: Promise<void> = Promise.resolve();
  return (report: Omit<ProgressReport, 'clientId' | 'nickname'>, force = false) => {
    const now = Date.now();
    if (!force && (busy || now - last < 1000)) return;
    last = now;
    busy = true;
    chain = chain.then(() => postProgress(target, { ...base, ...report })).finally(() => (busy = false));
  };
}

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}

export async function joinCommand(link: string, opts: JoinOptions): Promise<number> {
  const target = parseJoinLink(link, opts.token);
  if (target.token === null) throw new InputError('the join link has no upload token (the part after #); copy the whole link the leader printed, or pass --token');
  const token = target.token;
  const nicknameFlag = opts.nickname === undefined ? null : cleanNickname(opts.nickname);
  if (opts.nickname !== undefined && nicknameFlag === null) throw new InputError('--nickname must be 1 to 40 printable characters');
  const interactive = process.stderr.isTTY === true;
  const dbPath = resolveDbPath(opts.db);
  const cacheDir = opts.cacheDir ? path.resolve(opts.cacheDir) : workshopCacheDir();

  // The queue first: uploads an earlier join could not deliver.
  const db = openDb(dbPath);
  let clientId: string;
  let nickname: string;
  try {
    const { tried, left } = await retryQueue(db);
    if (tried > 0 && left > 0) process.stderr.write(pc.dim(`${left} queued upload${left === 1 ? '' : 's'} still waiting.\n`));
    clientId = clientIdOf(db);
    nickname = nicknameFlag ?? lastNickname(db);
  } finally {
    db.$client.close();
  }

  const manifest = await fetchManifest(target);
  const report = progressReporter(target, { clientId, nickname });
  report({ phase: 'joined' }, true);
  process.stdout.write(`${pc.bold(`Joined workshop ${escapeTerminal(manifest.name)}`)} (${manifest.code}) at ${escapeTerminal(target.origin)} as ${escapeTerminal(nickname)}\n`);

  try {
    // Models: each one missing here comes from the leader.
    const modelPaths: string[] = [];
    const total = manifest.models.reduce((sum, m) => sum + m.bytes, 0);
    let before = 0;
    for (const model of manifest.models) {
      const bar = interactive ? createDownloadProgress(escapeTerminal(model.fileName)) : null;
      const file = await downloadModel(cacheDir, { ...model, url: new URL(model.url, target.origin).href }, {
        cached: () => process.stderr.write(pc.dim(`${escapeTerminal(model.fileName)}: already here (SHA-256 checked)\n`)),
        resumed: (from) => process.stderr.write(pc.dim(`${escapeTerminal(model.fileName)}: continuing the download from ${formatNumber(from / 2 ** 20, 'en')} MiB\n`)),
        progress: (done, all) => {
          bar?.update(done, all);
          report({ phase: 'downloading', done: before + done, total, detail: model.fileName });
        },
      }).finally(() => bar?.stop());
      before += model.bytes;
      modelPaths.push(file);
    }

    // The suite: the leader's definition, written where loadSuite reads files.
    const suiteFile = path.join(cacheDir, 'suites', `${target.code}.json`);
    fs.mkdirSync(path.dirname(suiteFile), { recursive: true });
    fs.writeFileSync(suiteFile, `${JSON.stringify(manifest.suite.definition, null, 2)}\n`);

    const threads = opts.threads ?? defaultThreads(await detectHardware());
    report({ phase: 'running', done: 0 }, true);
    let published = false;
    const code = await runCommand(
      { ...DEFAULT_RUN_OPTIONS, model: modelPaths.join(','), suite: suiteFile, threads: [threads], db: opts.db },
      {
        onStep: ({ step, totalSteps, prompt }) => report({ phase: 'running', done: step - 1, total: totalSteps, detail: prompt.prompt.id }),
        afterRuns: async (runDb, runIds) => {
          const rows = runIds.map((id) => runDb.select({ id: runs.id, status: runs.status }).from(runs).where(eq(runs.id, id)).get());
          const completed = rows.flatMap((r) => (r?.status === 'completed' ? [r] : []));
          if (!completed.length) return undefined;
          // Where it would rank, before anything is published.
          const board = await fetchLeaderboard(target);
          for (const { id } of completed) {
            const figures = runFigures(runDb, id);
            const ranks = figures ? rankInRoom(board, figures) : [];
            if (ranks.length) process.stdout.write(`Your run ${id} would rank ${ranks.map((r) => `${pc.bold(`#${r.position}`)} of ${r.of} by ${RANK_KEYS[r.key]}`).join(', ')} in the room.\n`);
          }
          const publish = opts.yes ? true : interactive && process.stdin.isTTY ? await ask(`Publish your result to the room as ${escapeTerminal(nickname)}? [Y/n] `) : false;
          if (!publish) {
            process.stdout.write(`Not published; it stays in ${escapeTerminal(dbPath)}. ${opts.yes || (interactive && process.stdin.isTTY) ? '' : 'Pass --yes to publish without being asked.'}\n`);
            return undefined;
          }
          report({ phase: 'publishing' }, true);
          published = true;
          return shareCompletedRuns(runDb, { ...target, token }, completed.map((r) => r.id), { nickname, clientId });
        },
      },
    );
    report({ phase: code === ExitCode.ok || !published ? 'done' : 'failed' }, true);
    return code;
  } catch (err) {
    report({ phase: 'failed', detail: err instanceof Error ? err.message.replace(/\p{Cc}/gu, ' ').slice(0, 200) : undefined }, true);
    if (err instanceof WattbenchError) throw err;
    printError(`join failed: ${(err as Error).message}`);
    return ExitCode.runFailed;
  }
}
