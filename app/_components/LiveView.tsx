'use client';
// The Live page's body: polls /api/live every second and shows power, tokens/s and progress in big type.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { LiveRun } from '@/lib/queries/getLiveRun';
import { formatCount, formatNumber, formatTick } from '@/lib/format/numbers';
import { formatClock } from '@/lib/format/dates';
import { formatBytes, formatJoules, formatPercent, formatJPerToken, formatWh, unit } from '@/lib/format/units';
import { describeMonitorTarget } from '@/lib/format/monitorTarget';
import { describeEnergyList, plainEnergySentence } from '@/lib/format/energyLabel';
import { StatusBadge, WithCode } from './ui';
import { color, dash } from './charts/palette';
import { LineLegend } from './charts/LineLegend';
import { usePolledJson } from './usePolledJson';

const POLL_MS = 1000;

export function LiveView({ initial, runId, lang }: { initial: LiveRun | null; runId: number | null; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const polled = usePolledJson<{ live: LiveRun | null }>(`/api/live${runId !== null ? `?run=${runId}` : ''}`, { live: initial }, POLL_MS);
  const { stale, polls } = polled;
  const live = polled.data.live;

  const staleNote = stale ? (
    <p className="notice warn" role="status">
      {t('live.stale')}
    </p>
  ) : null;

  if (!live) {
    return (
      <>
        {staleNote}
        <div className="empty-state" data-testid="live-waiting">
          <p>
            <WithCode text={t('live.waiting')} />
          </p>
        </div>
      </>
    );
  }

  const running = live.status === 'running';
  const { done, total } = live.progress;
  const pct = total ? Math.min(100, (done / total) * 100) : null;
  const tps = running ? live.tokensPerSec : (live.genTokensPerSec ?? live.tokensPerSec);
  // The estimate's model travels with each reading (samples.power[].model); counted domains only, like the total.
  const counted = live.powerReadings.filter((r) => r.countsTowardTotal !== false).map((r) => ({ ...r, note: r.model ?? null }));
  const powerLabel = counted.length ? describeEnergyList(counted, lang) : null;
  const hasPower = live.recent.some((p) => p.powerW !== null);
  const monitor = live.monitor;
  const phase = live.phase && ['idle', 'load', 'warmup', 'measure', 'done'].includes(live.phase) ? t(`live.phase.${live.phase}` as MessageKey) : live.phase;

  return (
    <div data-testid="live-view" data-polls={polls}>
      {staleNote}
      {!running && runId === null ? (
        <p className="notice" data-testid="live-waiting">
          <WithCode text={t('live.waiting')} /> {t('live.lastRun')}:
        </p>
      ) : null}
      <div className="live-head">
        <span className="live-model">
          {monitor ? (
            <>
              <span className="tag" data-testid="live-monitor-tag">
                {t('monitor.kind')}
              </span>{' '}
              {describeMonitorTarget({ target: monitor.target, name: monitor.name, pids: monitor.pids }, lang)}
            </>
          ) : (
            live.modelLabel
          )}
        </span>
        <StatusBadge status={live.status} lang={lang} />
        <span className="muted">
          <a href={`/runs/${live.runId}`}>{t('common.run', { id: live.runId })}</a> · {live.hardwareLabel}
          {monitor ? '' : ` · ${live.suite}`}
        </span>
      </div>
      <p className="notice" data-testid="live-energy-plain">
        {plainEnergySentence(live.powerReadings, lang)}
      </p>
      <div className="live-tiles" aria-live="polite">
        <section className="live-tile" data-testid="live-power">
          <div className="label">{t('live.power')}</div>
          {live.powerW === null ? (
            <div className="big not-measured">{t('common.notMeasured')}</div>
          ) : (
            <div className="big">
              {formatNumber(live.powerW, lang)}
              <span className="unit">{unit('watts', lang)}</span>
            </div>
          )}
          <div className="sub">{powerLabel ?? (live.joulesPerToken !== null ? formatJPerToken(live.joulesPerToken, lang) : '')}</div>
        </section>
        {monitor ? (
          <>
            <section className="live-tile" data-testid="live-monitor-energy">
              <div className="label">{t('monitor.soFar')}</div>
              {monitor.joules === null ? <div className="big not-measured">{t('common.notMeasured')}</div> : <div className="big">{formatJoules(monitor.joules, lang)}</div>}
              <div className="sub">
                {monitor.joulesPerHour === null ? '' : `${t('monitor.perHour')}: ${formatWh(monitor.joulesPerHour / 3600, lang)}`}
                {monitor.requests === null ? null : (
                  <span data-testid="live-monitor-requests">
                    <br />
                    {`${t('monitor.requests')}: ${monitor.requestsExact ? '' : '≥ '}${formatCount(monitor.requests, lang)}`}
                    {monitor.joulesPerRequest === null ? '' : ` · ${t('monitor.perRequest')}: ${monitor.requestsExact ? '' : '≤ '}${formatJoules(monitor.joulesPerRequest, lang)}`}
                  </span>
                )}
                {powerLabel ? (
                  <>
                    <br />
                    {powerLabel}
                  </>
                ) : null}
              </div>
            </section>
            <section className="live-tile" data-testid="live-monitor-process">
              <div className="label">{monitor.target === 'machine' ? t('live.cpu') : t('monitor.process')}</div>
              <div className="big">{formatPercent(monitor.target === 'machine' ? live.cpuPercent : monitor.processCpuPercent, lang)}</div>
              <div className="sub">{monitor.target === 'machine' ? '' : `RSS ${formatBytes(monitor.rssBytes, lang)}`}</div>
            </section>
          </>
        ) : (
          <>
        <section className="live-tile" data-testid="live-tps">
          <div className="label">{t('live.tps')}</div>
          {tps === null ? (
            <div className="big not-measured">{t('common.notMeasured')}</div>
          ) : (
            <div className="big">
              {formatNumber(tps, lang)}
              <span className="unit">{unit('tokPerSec', lang)}</span>
            </div>
          )}
          <div className="sub" data-testid="live-tokens">
            {live.tokensGenerated === null ? '' : t('live.tokens', { n: formatCount(live.tokensGenerated, lang) })}
          </div>
        </section>
        <section className="live-tile" data-testid="live-progress">
          <div className="label">{t('live.progress')}</div>
          <div className="big" data-testid="live-progress-value">
            {formatCount(done, lang)}
            {total ? <span className="unit">/ {formatCount(total, lang)}</span> : null}
          </div>
          {pct !== null ? (
            <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label={t('live.progress')}>
              <div style={{ width: `${pct}%` }} />
            </div>
          ) : null}
          <div className="sub">
            {total ? t('live.answers', { done: formatCount(done, lang), total: formatCount(total, lang) }) : t('live.answersNoTotal', { done: formatCount(done, lang) })}
            {pct !== null ? ` (${formatPercent(pct, lang)})` : ''}
            <br />
            {phase}
            {live.promptIndex !== null ? ` · ${t('live.prompt', { n: live.promptIndex + 1 })}` : ''}
          </div>
        </section>
          </>
        )}
        <section className="live-tile" data-testid="live-elapsed">
          <div className="label">{t('live.elapsed')}</div>
          <div className="big">{formatClock(live.elapsedMs)}</div>
          <div className="sub">
            {t('live.cpu')}: {formatPercent(live.cpuPercent, lang)}
          </div>
        </section>
      </div>
      {live.recent.length > 1 ? (
        <figure className="chart" data-testid="chart-live">
          <figcaption>
            {t('live.recent')} <span className="chart-note">— {t('live.updated')}</span>
          </figcaption>
          <LineLegend
            lines={[
              { key: 'power', name: hasPower ? t('detail.axis.power') : `${t('detail.axis.power')}: ${t('common.notMeasured')}` },
              ...(monitor ? [] : [{ key: 'tps', name: t('detail.axis.tps') }]),
            ]}
          />
          <div className="chart-body" role="img" aria-label={t('live.recent')}>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={live.recent} margin={{ top: 8, right: 16, bottom: 22, left: 12 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  type="number"
                  dataKey="x"
                  domain={[Math.max(-60, Math.floor(live.recent[0]?.x ?? -60)), 0]}
                  tickFormatter={(v: number) => formatNumber(v, lang, { decimals: 0 })}
                  label={{ value: t('live.axis.time'), position: 'insideBottom', offset: -12 }}
                />
                {hasPower ? (
                  <YAxis
                    yAxisId="power"
                    domain={[0, 'auto']}
                    width={60}
                    tickFormatter={(v: number) => formatTick(v, lang)}
                    label={{ value: t('detail.axis.power'), angle: -90, position: 'insideLeft', style: { textAnchor: 'middle' } }}
                  />
                ) : null}
                {monitor ? null : (
                <YAxis
                  yAxisId="tps"
                  orientation="right"
                  domain={[0, 'auto']}
                  width={70}
                  tickFormatter={(v: number) => formatTick(v, lang)}
                  label={{ value: t('detail.axis.tps'), angle: 90, position: 'insideRight', style: { textAnchor: 'middle' } }}
                />
                )}
                {hasPower ? (
                  <Line yAxisId="power" dataKey="powerW" name={t('detail.axis.power')} stroke={color(0)} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
                ) : null}
                {monitor ? null : (
                <Line
                  yAxisId="tps"
                  dataKey="tokensPerSec"
                  name={t('detail.axis.tps')}
                  stroke={color(1)}
                  strokeDasharray={dash(1)}
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
                )}
              </LineChart>
            </ResponsiveContainer>
          </div>
        </figure>
      ) : null}
    </div>
  );
}
