import type { Metadata } from 'next';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import { getDashboardDb } from '@/lib/queries/dashboardDb';
import { getMachines, type BestFigure } from '@/lib/queries/getMachines';
import { parseId, type SearchParams } from '@/lib/queries/params';
import { shortCpu } from '@/lib/records/runLabels';
import { formatDateTime } from '@/lib/format/dates';
import { formatGiB, formatJPerToken, formatMs, formatTokPerSec } from '@/lib/format/units';
import { HorizontalBars } from '../_components/charts/HorizontalBars';
import { AutoSubmitForm } from '../_components/AutoSubmitForm';
import { EmptyState, EnergyTag } from '../_components/ui';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: translate(await getRequestLang(), 'machines.title') };
}

export default async function MachinesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [lang, sp] = await Promise.all([getRequestLang(), searchParams]);
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const conn = getDashboardDb();
  if (conn.status === 'missing') return <EmptyState lang={lang} path={conn.path} reason={conn.reason} problem={conn.problem} />;
  const data = getMachines(conn.db, parseId(sp.model));
  if (data.machines.length === 0) return <EmptyState lang={lang} path={conn.path} />;
  const model = data.models.find((m) => m.id === data.modelId);

  const best = (b: BestFigure | null, f: (x: number, l: typeof lang) => string, energy = false) =>
    b === null ? (
      <span className="not-measured">{t('common.notMeasured')}</span>
    ) : (
      <>
        <a href={`/runs/${b.runId}`}>{f(b.value, lang)}</a>
        {energy ? <EnergyTag source={b.energySource} boundaries={[]} lang={lang} /> : null}
        <div className="muted">{t('machines.with', { model: b.modelLabel })}</div>
      </>
    );

  return (
    <>
      <h1>{t('machines.title')}</h1>
      <div className="table-wrap">
        <table data-testid="machines-table">
          <thead>
            <tr>
              <th scope="col">{t('machines.col.machine')}</th>
              <th scope="col">{t('machines.col.cpu')}</th>
              <th scope="col" className="num">{t('machines.col.memory')}</th>
              <th scope="col">{t('machines.col.gpus')}</th>
              <th scope="col" className="num">{t('machines.col.runs')}</th>
              <th scope="col">{t('machines.col.lastSeen')}</th>
              <th scope="col" className="num">{t('machines.col.bestTps')}</th>
              <th scope="col" className="num">{t('machines.col.bestTtft')}</th>
              <th scope="col" className="num">{t('machines.col.bestJpt')}</th>
            </tr>
          </thead>
          <tbody>
            {data.machines.map((m) => (
              <tr key={m.id}>
                <td>
                  <a href={`/?hw=${m.id}`}>{m.hostname}</a>
                  <div className="muted">
                    {m.os} · {m.arch}
                  </div>
                </td>
                <td title={m.cpuModel}>
                  {shortCpu(m.cpuModel)}
                  <div className="muted">{t('detail.field.coresValue', { cores: m.cpuCores, threads: m.cpuThreads })}</div>
                </td>
                <td className="num">{formatGiB(m.memoryBytes, lang)}</td>
                <td>{m.gpus.length ? m.gpus.map((g) => g.name).join(', ') : t('common.none')}</td>
                <td className="num">{m.runCount}</td>
                <td>{m.lastRunAt === null ? '–' : formatDateTime(m.lastRunAt, lang)}</td>
                <td className="num">{best(m.bestGenTokensPerSec, formatTokPerSec)}</td>
                <td className="num">{best(m.bestTtftMs, formatMs)}</td>
                <td className="num">{best(m.bestJoulesPerToken, formatJPerToken, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {data.models.length ? (
        <>
          <AutoSubmitForm action="/machines" className="filters" label={t('machines.model')}>
            <label className="field">
              <span>{t('machines.model')}</span>
              <select name="model" defaultValue={data.modelId ?? ''} data-testid="machines-model">
                {data.models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label} ({m.machineCount})
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{t('common.apply')}</button>
          </AutoSubmitForm>
          {data.onModel.length && model ? (
            <div className="charts">
              <HorizontalBars
                title={t('machines.chart.tps', { model: model.label })}
                axis={t('compare.axis.genTps')}
                data={data.onModel.map((m) => ({ name: m.label, value: m.genTokensPerSec?.value ?? null }))}
                lang={lang}
                testId="chart-machines-tps"
              />
              <HorizontalBars
                title={t('machines.chart.jpt', { model: model.label })}
                axis={t('compare.axis.jpt')}
                data={data.onModel.map((m) => ({ name: m.label, value: m.joulesPerToken?.value ?? null }))}
                lang={lang}
                testId="chart-machines-jpt"
              />
            </div>
          ) : (
            <p className="muted">{t('machines.noModelRuns')}</p>
          )}
        </>
      ) : null}
    </>
  );
}
