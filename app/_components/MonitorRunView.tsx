// The run page of a monitor run (runs.kind "monitor"): what was watched, its energy over the window with its
// label, mean power and energy per hour, the process's CPU and memory, the watched server's requests (energy per
// request with the same label, the server's token counts) or why they are not counted, and the charts.
import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { RunDetail } from '@/lib/queries/getRunDetail';
import type { RunSeries } from '@/lib/queries/getRunSeries';
import { formatDateTime } from '@/lib/format/dates';
import { formatBytes, formatGiB, formatJoules, formatPercent, formatWatts, formatWh } from '@/lib/format/units';
import { formatCount, formatDuration } from '@/lib/format/numbers';
import { describeEnergyList, describeRunEnergy } from '@/lib/format/energyLabel';
import { describeMonitorTarget } from '@/lib/format/monitorTarget';
import { describeNotCounted, knownReason } from '@/lib/monitor/notCountedReason';
import { RunCharts } from './charts/RunCharts';
import { EnergyPanel } from './EnergyPanel';
import { Figure, StatusBadge } from './ui';

export function MonitorRunView({ detail, series, lang }: { detail: RunDetail; series: RunSeries; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const { run, hardware } = detail;
  const m = detail.monitor;
  const target = describeMonitorTarget({ target: m?.target ?? 'machine', name: m?.name ?? null, pids: m?.processes.map((p) => p.pid) ?? [] }, lang);
  const counted = detail.energy.filter((e) => e.countsTowardTotal);
  const energyLabel = describeEnergyList(counted, lang);
  const described = describeRunEnergy(detail.energy, run.energyBasis, lang);
  const energy = detail.summary.energy;
  const perHour = m?.joulesPerHour ?? null;
  const req = m?.requests ?? null;
  const perRequest = m?.joulesPerRequest ?? null;
  const reason = knownReason(req?.notCountedCode, req?.notCountedParams);
  const notCountedText = reason ? describeNotCounted(reason, lang) : (req?.notCounted ?? '');
  const server = req ? `${req.kind ?? ''} ${req.endpoint ?? ''}`.trim() : '';
  const labelled = (text: string) => (
    <>
      {text}
      <div className="muted">{energyLabel}</div>
    </>
  );

  return (
    <div data-testid="monitor-run">
      <h1>
        {t('common.run', { id: run.id })} · <span className="tag" data-testid="monitor-tag">{t('monitor.kind')}</span> {target}
      </h1>
      <p className="lead">
        <StatusBadge status={run.status} lang={lang} /> {hardware.label} · {formatDateTime(run.startedAt, lang)}
        {run.label ? ` · ${run.label}` : ''}
      </p>
      <p className="muted">{t('monitor.lead', { target })}</p>
      {run.error ? (
        <p className="notice warn">
          <strong>{t('detail.error')}:</strong> {run.error}
        </p>
      ) : null}

      <section aria-label={t('detail.headline')} className="figures">
        <Figure label={t('monitor.window')}>{formatDuration(m?.windowMs, lang)}</Figure>
        <Figure label={t('monitor.totalEnergy')} sub={run.totalJ === null ? undefined : labelled(described.constantNote ?? '')}>
          {run.totalJ === null ? <span className="not-measured">{t('common.notMeasured')}</span> : `${formatWh(run.totalJ / 3600, lang)} (${formatJoules(run.totalJ, lang)})`}
        </Figure>
        <Figure label={t('monitor.meanPower')}>{energy ? formatWatts(energy.meanW, lang) : <span className="not-measured">{t('common.notMeasured')}</span>}</Figure>
        <Figure label={t('monitor.perHour')} sub={<span data-testid="monitor-per-hour">{perHour === null ? '' : formatJoules(perHour, lang)}</span>}>
          {perHour === null ? <span className="not-measured">{t('common.notMeasured')}</span> : formatWh(perHour / 3600, lang)}
        </Figure>
        {m && m.target !== 'machine' ? (
          <>
            <Figure label={t('monitor.processCpu')}>{formatPercent(m.meanProcessCpuPercent, lang, 1)}</Figure>
            <Figure label={t('monitor.peakRss')}>{formatBytes(m.peakRssBytes, lang)}</Figure>
          </>
        ) : (
          <Figure label={t('monitor.machineCpu')}>{formatPercent(m?.meanMachineCpuPercent, lang, 1)}</Figure>
        )}
        <Figure
          label={t('monitor.requests')}
          sub={
            req && req.requests !== null ? (
              <>
                {t('monitor.requestsFrom', { method: req.method ?? '' })}
                {req.exact ? null : <div className="muted">{t('monitor.requestsPolled', { interval: formatDuration(req.pollIntervalMs, lang) })}</div>}
              </>
            ) : undefined
          }
        >
          {req && req.requests !== null ? (
            <span data-testid="monitor-requests">{t(req.exact ? 'monitor.requestsCount' : 'monitor.requestsAtLeast', { count: formatCount(req.requests, lang), server })}</span>
          ) : (
            <span className="not-measured" data-testid="monitor-requests">
              {t('monitor.requestsNotCounted', { reason: notCountedText })}
            </span>
          )}
        </Figure>
        {req && req.requests !== null ? (
          <Figure label={t('monitor.perRequest')} sub={perRequest === null ? undefined : labelled(t('monitor.perRequestHow'))}>
            <span data-testid="monitor-per-request">
              {perRequest !== null ? (
                req.exact ? formatJoules(perRequest, lang) : t('monitor.perRequestAtMost', { value: formatJoules(perRequest, lang) })
              ) : (
                <span className="not-measured">{req.requests === 0 ? t('monitor.perRequestNone') : t('common.notMeasured')}</span>
              )}
            </span>
          </Figure>
        ) : null}
        {req && (req.promptTokens !== null || req.outputTokens !== null) ? (
          <Figure label={t('monitor.tokens')} sub={req.tokensMethod ?? undefined}>
            <span data-testid="monitor-tokens">
              {t('monitor.tokensValue', { prompt: req.promptTokens === null ? '–' : formatCount(req.promptTokens, lang), output: req.outputTokens === null ? '–' : formatCount(req.outputTokens, lang) })}
            </span>
          </Figure>
        ) : null}
      </section>
      <p className="notice" data-testid="energy-plain">
        {described.sentence}
      </p>

      <h2>{t('detail.series')}</h2>
      {series.sampleCount === 0 ? (
        <p className="muted">{t('detail.noSamples')}</p>
      ) : (
        <>
          <p className="muted" data-testid="downsample-note">
            {t('common.downsampled', { shown: formatCount(series.maxDrawn, lang), total: formatCount(series.sampleCount, lang) })}
          </p>
          <RunCharts series={series} lang={lang} monitor />
        </>
      )}

      <h2>{t('detail.energy')}</h2>
      {/* The process's CPU share is shown above; the panel's "this run" wording is a benchmark's. */}
      <EnergyPanel rows={detail.energy} energy={energy ? { ...energy, cpuLoad: null, othersLoadWarning: null } : null} lang={lang} />
      <p className="muted">{t('monitor.covers')}</p>

      <div className="facts">
        <section>
          <h2>{t('detail.settings')}</h2>
          <dl className="kv">
            <dt>{t('monitor.process')}</dt>
            <dd>{target}</dd>
            <dt>{t('detail.field.startedAt')}</dt>
            <dd>{formatDateTime(run.startedAt, lang)}</dd>
            <dt>{t('detail.field.endedAt')}</dt>
            <dd>{run.endedAt === null ? '–' : formatDateTime(run.endedAt, lang)}</dd>
            <dt>{t('detail.field.duration')}</dt>
            <dd>{run.endedAt === null ? '–' : formatDuration(run.endedAt - run.startedAt, lang)}</dd>
            {run.label ? (
              <>
                <dt>{t('detail.field.label')}</dt>
                <dd>{run.label}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section>
          <h2>{t('detail.hardware')}</h2>
          <dl className="kv">
            <dt>{t('detail.field.hostname')}</dt>
            <dd>{hardware.hostname}</dd>
            <dt>{t('detail.field.cpu')}</dt>
            <dd>{hardware.cpuModel}</dd>
            <dt>{t('detail.field.cores')}</dt>
            <dd>{t('detail.field.coresValue', { cores: hardware.cpuCores, threads: hardware.cpuThreads })}</dd>
            <dt>{t('detail.field.memory')}</dt>
            <dd>{formatGiB(hardware.memoryBytes, lang)}</dd>
          </dl>
        </section>
      </div>
    </div>
  );
}
