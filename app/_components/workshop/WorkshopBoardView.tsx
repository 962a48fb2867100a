'use client';
// The workshop page's live body: polls the leaderboard JSON every 2 s (as the Live page polls /api/live) and
// shows the machines with their progress, the leaderboard (sortable by speed, J/token, J per correct answer,
// each with its measured/estimated label) and the room's energy against the same work in the cloud.
import { useState } from 'react';
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { WorkshopBoard } from '@/lib/records/workshop';
import { formatCount } from '@/lib/format/numbers';
import { formatBytes, formatPercent, formatRange, formatWh, formatWithUnit } from '@/lib/format/units';
import { describeBasis } from '@/lib/format/energyLabel';
import { formatJPerCorrect } from '@/lib/format/quality';
import { BasisTag } from '../ui';
import { usePolledJson } from '../usePolledJson';
import { sortEntries, type LeaderboardKey } from '@/lib/workshop/leaderboardOrder';

const POLL_MS = 2000;

type SortKey = LeaderboardKey;

export function WorkshopBoardView({ initial, lang, big = false }: { initial: WorkshopBoard; lang: Lang; big?: boolean }) {
  const { data: board, stale } = usePolledJson<WorkshopBoard>(`/api/workshops/${initial.code}/leaderboard?lang=${lang}`, initial, POLL_MS);
  const [sort, setSort] = useState<SortKey>('tps');
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);

  const entries = sortEntries(board.leaderboard, sort);
  const room = board.room;
  return (
    <div className={big ? 'workshop-board big' : 'workshop-board'} data-testid="workshop-board">
      {stale ? (
        <p className="notice warn" role="status">
          {t('workshop.stale')}
        </p>
      ) : null}

      <section aria-labelledby="ws-machines">
        <h2 id="ws-machines">
          {t('workshop.machines')} <span className="muted">· {t('workshop.machines.count', { n: formatCount(board.machines.length, lang) })}</span>
        </h2>
        {board.machines.length === 0 ? (
          <p className="muted">{t('workshop.machines.none')}</p>
        ) : (
          <ul className="workshop-machines" data-testid="workshop-machines">
            {board.machines.map((m) => (
              <li key={m.clientId} data-phase={m.phase}>
                <strong>{m.nickname}</strong> · {t(`workshop.phase.${m.phase}` as MessageKey)}
                {m.done !== null && m.total ? (
                  <>
                    {' '}
                    <progress max={m.total} value={Math.min(m.done, m.total)} /> {m.phase === 'downloading'
                      ? t('workshop.progress', { done: formatBytes(m.done, lang), total: formatBytes(m.total, lang) })
                      : t('workshop.progress.steps', { done: formatCount(m.done, lang), total: formatCount(m.total, lang) })}
                  </>
                ) : null}
                {m.detail ? <span className="muted"> · {m.detail}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="ws-leaderboard">
        <h2 id="ws-leaderboard">{t('workshop.leaderboard')}</h2>
        {entries.length === 0 ? (
          <p className="muted">{t('workshop.leaderboard.none')}</p>
        ) : (
          <>
            <label className="field">
              <span>{t('workshop.sortBy')}</span>
              <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)} data-testid="workshop-sort">
                <option value="tps">{t('workshop.sort.tps')}</option>
                <option value="jPerToken">{t('workshop.sort.jPerToken')}</option>
                <option value="jPerCorrect">{t('workshop.sort.jPerCorrect')}</option>
              </select>
            </label>
            <div className="table-wrap">
              <table data-testid="workshop-leaderboard">
                <thead>
                  <tr>
                    <th scope="col" className="num">{t('workshop.col.rank')}</th>
                    <th scope="col">{t('workshop.col.machine')}</th>
                    <th scope="col">{t('workshop.col.hardware')}</th>
                    <th scope="col" className="num">{t('workshop.col.tps')}</th>
                    <th scope="col" className="num">{t('workshop.col.jPerToken')}</th>
                    <th scope="col" className="num">{t('workshop.col.jPerCorrect')}</th>
                    <th scope="col" className="num">{t('workshop.col.accuracy')}</th>
                    <th scope="col">{t('workshop.col.energy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e, i) => (
                    <tr key={e.runId} data-testid="workshop-entry">
                      <td className="num">{i + 1}</td>
                      <td>
                        <strong>{e.nickname}</strong>
                        <div className="muted">{e.model}</div>
                      </td>
                      <td>
                        {e.cpu}
                        {e.gpus.length ? <div className="muted">{e.gpus.join(', ')}</div> : null}
                      </td>
                      <td className="num">{formatWithUnit(e.genTokensPerSec, 'tokPerSec', lang)}</td>
                      <td className="num">{formatWithUnit(e.joulesPerToken, 'jPerToken', lang)}</td>
                      <td className="num">{e.graded > 0 ? formatJPerCorrect(e, lang) : '—'}</td>
                      <td className="num">{e.accuracy === null ? '—' : formatPercent(e.accuracy * 100, lang)}</td>
                      <td>
                        <BasisTag basis={e.basis} lang={lang} />
                        {e.energyLabel ? <div className="muted">{e.energyLabel}</div> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="ws-room" data-testid="workshop-room">
        <h2 id="ws-room">{t('workshop.room.title')}</h2>
        {room.totalJ === null ? (
          <p className="muted">{t('workshop.room.noEnergy')}</p>
        ) : (
          <>
            <p>
              {t('workshop.room.total', {
                machines: formatCount(room.machines, lang),
                runs: formatCount(room.runs, lang),
                energy: formatWh(room.totalJ / 3600, lang),
                basis: describeBasis(room.basis, lang),
                tokens: formatCount(room.outputTokens, lang),
              })}
            </p>
            {room.runsWithoutEnergy > 0 ? <p className="muted">{t('workshop.room.unmeasured', { n: formatCount(room.runsWithoutEnergy, lang) })}</p> : null}
            {room.cloud ? (
              <>
                <p>
                  {t('workshop.room.cloud', { tokens: formatCount(room.cloud.outputTokens, lang), model: room.cloud.local.model.fileName })}
                </p>
                <ul>
                  <li>
                    {t('workshop.room.local')}: {formatWh(room.cloud.local.energyWh, lang)} <BasisTag basis={room.cloud.local.basis} lang={lang} />
                  </li>
                  {room.cloud.cloud.map((row) => (
                    <li key={row.role}>
                      {t('workshop.room.cloudRow', {
                        title: t(`workshop.room.role.${row.role}` as MessageKey),
                        model: row.model.name,
                        range: row.estimate ? formatRange(row.estimate.energyWh.low, row.estimate.energyWh.high, 'wh', lang) : t('common.notMeasured'),
                      })}{' '}
                      <span className="tag estimate">{t('common.estimated')}</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : room.cloudError ? (
              <p className="muted">{t('workshop.room.cloudUnavailable', { reason: room.cloudError })}</p>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}
