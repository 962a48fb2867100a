import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import { getDashboardDb } from '@/lib/queries/dashboardDb';
import { getRunDetail } from '@/lib/queries/getRunDetail';
import { getRunSeries } from '@/lib/queries/getRunSeries';
import { parseId } from '@/lib/queries/params';
import { formatDateTime } from '@/lib/format/dates';
import { formatBytes, formatGiB, formatJPerToken, formatMeanSd, formatWh, formatJoules } from '@/lib/format/units';
import { formatCount, formatDuration } from '@/lib/format/numbers';
import { describeEnergyList, describeRunEnergy } from '@/lib/format/energyLabel';
import { RunCharts } from '../../_components/charts/RunCharts';
import { PromptTable } from '../../_components/PromptTable';
import { formatAccuracy, formatJPerCorrect } from '@/lib/format/quality';
import { EnergyPanel } from '../../_components/EnergyPanel';
import { EmptyState, EnergyTag, Figure, StatusBadge } from '../../_components/ui';
import { MonitorRunView } from '../../_components/MonitorRunView';

export const dynamic = 'force-dynamic';


type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const lang = await getRequestLang();
  const id = parseId((await params).id);
  return { title: id === null ? translate(lang, 'notFound.title') : translate(lang, 'common.run', { id }) };
}

const PROMOTED_SETTINGS = new Set(['suite', 'threads', 'promptThreads', 'threadChoice', 'reps', 'warmup', 'contextSize', 'maxTokens', 'seed', 'promptFormat', 'label']);
/** Runtime entries the llama.cpp binary row already shows (older runs, without `engine`, list them one by one). */
const PROMOTED_RUNTIME = new Set(['engine', 'llamaCppRelease', 'llamaCppRepo', 'buildType', 'backend', 'systemInfo']);

function show(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export default async function RunPage({ params }: Props) {
  const [lang, { id: rawId }] = await Promise.all([getRequestLang(), params]);
  const id = parseId(rawId);
  if (id === null) notFound();
  const conn = getDashboardDb();
  if (conn.status === 'missing') return <EmptyState lang={lang} path={conn.path} reason={conn.reason} problem={conn.problem} />;
  const detail = getRunDetail(conn.db, id);
  if (!detail) notFound();
  const series = getRunSeries(conn.db, id, 2000);
  if (detail.run.kind === 'monitor') return <MonitorRunView detail={detail} series={series} lang={lang} />;
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const { run, model, hardware } = detail;
  // Rows inside another domain (RAPL core/dram sub-zones) are shown in the panel but are not part of the total.
  const counted = detail.energy.filter((e) => e.countsTowardTotal);
  const boundaries = [...new Set(counted.map((e) => e.boundary))];
  const energyLabel = describeEnergyList(counted, lang);
  const described = describeRunEnergy(detail.energy, run.energyBasis, lang);
  const otherSettings = Object.entries(run.settings ?? {}).filter(([k]) => !PROMOTED_SETTINGS.has(k));
  const engine = run.runtime.engine ?? null;
  const threads = run.settings.threadChoice ?? null;

  return (
    <>
      <h1>
        {t('common.run', { id: run.id })} · {model.label}
      </h1>
      <p className="lead">
        <StatusBadge status={run.status} lang={lang} /> {hardware.label} · {run.suite} · {formatDateTime(run.startedAt, lang)}
        {run.label ? ` · ${run.label}` : ''}
      </p>
      {run.runtime.server ? (
        <p className={run.runtime.server.location === 'remote' ? 'notice warn' : 'notice'} role="note" data-server-run>
          <strong>{t('detail.serverRun', { kind: run.runtime.server.kind, endpoint: run.runtime.server.endpoint })}.</strong>{' '}
          {run.runtime.server.location === 'remote' ? t('detail.serverRemote') : t('detail.serverLocal', { pids: run.runtime.server.pids.join(', ') || '—' })}
        </p>
      ) : null}
      {run.error ? (
        <p className="notice warn">
          <strong>{t('detail.error')}:</strong> {run.error}
        </p>
      ) : null}

      <section aria-label={t('detail.headline')} className="figures">
        <Figure label={t('detail.genTps')}>{formatMeanSd(detail.overall.genTokensPerSec, 'tokPerSec', lang)}</Figure>
        <Figure label={t('detail.ttft')}>{formatMeanSd(detail.overall.ttftMs, 'ms', lang)}</Figure>
        <Figure label={t('detail.jpt')} sub={<EnergyTag source={run.energySource} boundaries={boundaries} lang={lang} />}>
          {run.joulesPerToken === null ? <span className="not-measured">{t('common.notMeasured')}</span> : formatJPerToken(run.joulesPerToken, lang)}
        </Figure>
        <Figure
          label={t('detail.totalEnergy')}
          sub={
            run.totalJ === null ? undefined : (
              <>
                {/* Each source's label already says measured or estimated; the basis adds something only for a mix. */}
                {described.basis === 'mixed' ? `${described.basisText} · ` : ''}
                {energyLabel}
                {described.constantNote ? (
                  <div className="figure-note" data-testid="energy-constant">
                    {described.constantNote}
                  </div>
                ) : null}
              </>
            )
          }
        >
          {run.totalJ === null ? (
            <span className="not-measured">{t('common.notMeasured')}</span>
          ) : (
            `${formatWh(run.totalJ / 3600, lang)} (${formatJoules(run.totalJ, lang)})`
          )}
        </Figure>
      </section>
      <p className="notice" data-testid="energy-plain">
        {described.sentence}
      </p>
      <p>
        <a href={`/footprint?run=${run.id}`}>{t('detail.footprintLink')}</a>
        {' · '}
        <a href={`/compare?hw=${hardware.id}&suite=${encodeURIComponent(run.suite)}`}>{t('detail.compareLink')}</a>
        {run.status === 'running' ? (
          <>
            {' · '}
            <a href={`/live?run=${run.id}`}>{t('detail.liveLink')}</a>
          </>
        ) : null}
      </p>

      <h2>{t('detail.series')}</h2>
      {series.sampleCount === 0 ? (
        <p className="muted">{t('detail.noSamples')}</p>
      ) : (
        <>
          <p className="muted" data-testid="downsample-note">
            {t('common.downsampled', { shown: formatCount(series.maxDrawn, lang), total: formatCount(series.sampleCount, lang) })}
            {series.promptBoundaries.length ? ` · ${t('detail.series.promptBoundary')}` : ''}
          </p>
          <RunCharts series={series} lang={lang} />
        </>
      )}

      <h2>{t('detail.prompts')}</h2>
      <PromptTable prompts={detail.prompts} lang={lang} />

      {detail.quality ? (
        <section aria-labelledby="quality-heading" data-testid="run-quality">
          <h2 id="quality-heading">{t('quality.title')}</h2>
          <div className="figures">
            <Figure label={t('quality.accuracy')}>{formatAccuracy(detail.quality, lang)}</Figure>
            <Figure
              label={t('quality.jPerCorrect')}
              sub={detail.quality.correct > 0 && detail.quality.joulesPerCorrect !== null ? <EnergyTag source={run.energySource} boundaries={boundaries} lang={lang} /> : undefined}
            >
              {formatJPerCorrect(detail.quality, lang)}
            </Figure>
          </div>
          <p className="muted">{t('quality.rule')}</p>
          <div className="table-wrap">
            <table data-testid="quality-table">
              <thead>
                <tr>
                  <th scope="col">{t('quality.col.prompt')}</th>
                  <th scope="col">{t('quality.col.expected')}</th>
                  <th scope="col">{t('quality.col.got')}</th>
                  <th scope="col" className="num">{t('quality.col.right')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.quality.prompts.map((g) => (
                  <tr key={g.promptIndex}>
                    <td>{g.promptId}</td>
                    <td>
                      <code>{g.expected ?? '—'}</code>
                    </td>
                    <td title={g.output}>{g.got === null ? <span className="muted">{t('quality.nothingRead')}</span> : g.got}</td>
                    <td className="num">
                      <span aria-label={g.correct === g.graded ? t('quality.right') : t('quality.wrong')}>{g.correct === g.graded ? '✓' : '✗'}</span> {g.correct}/{g.graded}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <h2>{t('detail.energy')}</h2>
      <EnergyPanel rows={detail.energy} energy={detail.summary.energy} lang={lang} />
      {described.window ? <p className="muted">{described.window}</p> : null}
      {run.joulesPerToken !== null ? <p>{t('detail.energy.perToken', { value: formatJPerToken(run.joulesPerToken, lang) })}</p> : null}

      <div className="facts">
        <section>
          <h2>{t('detail.settings')}</h2>
          <dl className="kv">
            <dt>{t('detail.field.suite')}</dt>
            <dd>{run.suite}</dd>
            {run.label ? (
              <>
                <dt>{t('detail.field.label')}</dt>
                <dd>{run.label}</dd>
              </>
            ) : null}
            <dt>{t('detail.field.threads')}</dt>
            <dd>
              {threads ? t('detail.field.threadsPhases', { prompt: threads.prompt, gen: threads.gen }) : run.threads}
              {threads ? <div className="muted">{t(`detail.threads.${threads.origin}`)}</div> : null}
            </dd>
            <dt>{t('detail.field.reps')}</dt>
            <dd>{run.reps}</dd>
            <dt>{t('detail.field.warmup')}</dt>
            <dd>{run.warmup}</dd>
            <dt>{t('detail.field.contextSize')}</dt>
            <dd>{formatCount(run.contextSize, lang)}</dd>
            <dt>{t('detail.field.maxTokens')}</dt>
            <dd>{run.maxTokens === null ? '–' : formatCount(run.maxTokens, lang)}</dd>
            <dt>{t('detail.field.seed')}</dt>
            <dd>{run.seed}</dd>
            <dt>{t('detail.field.promptFormat')}</dt>
            <dd>{run.promptFormat}</dd>
            <dt>{t('detail.field.startedAt')}</dt>
            <dd>{formatDateTime(run.startedAt, lang)}</dd>
            <dt>{t('detail.field.endedAt')}</dt>
            <dd>{run.endedAt === null ? '–' : formatDateTime(run.endedAt, lang)}</dd>
            <dt>{t('detail.field.duration')}</dt>
            <dd>{run.endedAt === null ? '–' : formatDuration(run.endedAt - run.startedAt, lang)}</dd>
            <dt>{t('detail.field.loadMs')}</dt>
            <dd>{formatDuration(run.loadMs, lang)}</dd>
            <dt>{t('detail.field.peakRss')}</dt>
            <dd>{formatGiB(run.peakRssBytes, lang)}</dd>
            {otherSettings.map(([k, v]) => (
              <FragmentKV key={k} k={k} v={show(v)} />
            ))}
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
            <dt>{t('detail.field.gpus')}</dt>
            <dd>
              {hardware.gpus.length
                ? hardware.gpus.map((g) => (g.memoryBytes ? `${g.name} (${formatGiB(g.memoryBytes, lang)})` : g.name)).join(', ')
                : t('common.none')}
            </dd>
            <dt>{t('detail.field.os')}</dt>
            <dd>
              {hardware.os} · {hardware.arch}
            </dd>
          </dl>
          <h2>{t('detail.runtime')}</h2>
          <dl className="kv">
            {engine ? (
              <>
                <dt>{t('detail.field.engine')}</dt>
                <dd>
                  {t(`detail.engine.${engine.kind}`)} · {engine.backend}
                  {engine.openmp ? ' · OpenMP' : ''} · llama.cpp {engine.llamaCppRelease}
                  <div className="muted">{engine.instructionSets.join(' ')}</div>
                  {engine.computeThreads !== undefined ? <div className="muted">{t('detail.engine.computeThreads', { n: engine.computeThreads })}</div> : null}
                  {engine.openmp && engine.computeThreads !== undefined && engine.computeThreads > 1 ? (
                    <div className="notice warn" role="note">
                      {t('detail.engine.computePool', { n: engine.computeThreads })}
                    </div>
                  ) : null}
                  {engine.missingInstructionSets.length > 0 ? (
                    <div className="notice warn" role="note">
                      {t('detail.engine.missing', { sets: engine.missingInstructionSets.join(', ') })}
                    </div>
                  ) : null}
                </dd>
                {engine.generationLoop ? (
                  <>
                    <dt>{t('detail.field.generationLoop')}</dt>
                    <dd>
                      {t(`detail.generationLoop.${engine.generationLoop.kind}`)}
                      {engine.generationLoop.reason ? <div className="muted">{engine.generationLoop.reason}</div> : null}
                    </dd>
                  </>
                ) : null}
              </>
            ) : null}
            {Object.entries(run.runtime ?? {}).filter(([k]) => !(engine && PROMOTED_RUNTIME.has(k))).map(([k, v]) => (
              <FragmentKV key={k} k={k} v={show(v)} />
            ))}
          </dl>
        </section>
        <section>
          <h2>{t('detail.model')}</h2>
          <dl className="kv">
            <dt>{t('detail.field.name')}</dt>
            <dd>{model.label}</dd>
            <dt>{t('detail.field.file')}</dt>
            <dd className="mono">{model.fileName}</dd>
            <dt>{t('detail.field.architecture')}</dt>
            <dd>{model.architecture ?? '–'}</dd>
            <dt>{t('detail.field.parameters')}</dt>
            <dd>{model.parameters === null ? '–' : formatCount(model.parameters, lang)}</dd>
            <dt>{t('detail.field.type')}</dt>
            <dd>{model.type ?? '–'}</dd>
            <dt>{t('detail.field.size')}</dt>
            <dd>{formatBytes(model.sizeBytes, lang)}</dd>
            <dt>{t('detail.field.contextLength')}</dt>
            <dd>{model.contextLength === null ? '–' : formatCount(model.contextLength, lang)}</dd>
            <dt>{t('detail.field.chatTemplate')}</dt>
            <dd>{model.hasChatTemplate ? t('common.yes') : t('common.no')}</dd>
            <dt>{t('detail.field.sha256')}</dt>
            <dd className="mono" title={model.sha256}>
              {model.sha256.slice(0, 16)}…
            </dd>
          </dl>
        </section>
      </div>
    </>
  );
}

function FragmentKV({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt className="mono">{k}</dt>
      <dd>{v}</dd>
    </>
  );
}
