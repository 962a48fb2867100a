import type { Metadata } from 'next';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import { getDashboardDb } from '@/lib/queries/dashboardDb';
import { getCompareData, type CompareSelection, type CompareStat } from '@/lib/queries/getCompareData';
import { first, parseId, parseIdList, type SearchParams } from '@/lib/queries/params';
import { buildVerdict } from '@/lib/format/verdict';
import { formatDateTime } from '@/lib/format/dates';
import { buildQualityVerdict } from '@/lib/format/qualityVerdict';
import { formatAccuracy, formatJPerCorrect } from '@/lib/format/quality';
import { formatValueSd, type UnitKey } from '@/lib/format/units';
import { CompareCharts } from '../_components/charts/CompareCharts';
import { QualityScatter } from '../_components/charts/QualityScatter';
import { AutoSubmitForm } from '../_components/AutoSubmitForm';
import { EmptyState, EnergyTag } from '../_components/ui';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: translate(await getRequestLang(), 'compare.title') };
}

function parseSelection(sp: SearchParams): CompareSelection {
  const sweep = first(sp.sweep);
  if (sweep && /^[\w-]{1,64}$/.test(sweep)) return { mode: 'sweep', sweepId: sweep };
  if (sp.runs !== undefined || first(sp.mode) === 'runs') return { mode: 'runs', runIds: parseIdList(sp.runs) };
  const suite = first(sp.suite);
  return {
    mode: 'models',
    hardwareId: parseId(sp.hw),
    suite: suite && /^[\w.-]{1,100}$/.test(suite) ? suite : null,
    modelIds: parseIdList(sp.models),
  };
}

export default async function ComparePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [lang, sp] = await Promise.all([getRequestLang(), searchParams]);
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const conn = getDashboardDb();
  if (conn.status === 'missing') return <EmptyState lang={lang} path={conn.path} reason={conn.reason} problem={conn.problem} />;
  const data = getCompareData(conn.db, parseSelection(sp));
  const sel = data.selection;
  const verdict = buildVerdict(
    data.items.map((i) => ({
      label: i.label,
      genTps: i.genTokensPerSec?.value ?? null,
      genTpsSd: i.genTokensPerSec?.sd ?? null,
      jpt: i.joulesPerToken?.value ?? null,
      jptSd: i.joulesPerToken?.sd ?? null,
      energySource: i.energySource,
    })),
    lang,
    { sameMachine: data.sameMachine },
  );
  // Graded runs (a suite with expected answers): accuracy against energy per correct answer.
  const graded = data.items.some((i) => i.quality !== null);
  const qualityVerdict = buildQualityVerdict(
    data.items.flatMap((i) =>
      i.quality ? [{ label: i.label, accuracy: i.quality.accuracy, correct: i.quality.correct, joulesPerCorrect: i.quality.joulesPerCorrect, energySource: i.energySource }] : [],
    ),
    lang,
  );
  const sentences = [...verdict, ...qualityVerdict];
  const stat = (s: CompareStat | null, unit: UnitKey) =>
    s === null ? <span className="not-measured">{t('common.notMeasured')}</span> : formatValueSd(s.value, s.sd, unit, lang);

  return (
    <>
      <h1>{t('compare.title')}</h1>
      <div className="compare-forms">
        <AutoSubmitForm action="/compare" className="filters" label={t('compare.mode.models')}>
          <strong>{t('compare.mode.models')}</strong>
          <label className="field">
            <span>{t('compare.machine')}</span>
            <select name="hw" defaultValue={sel.mode === 'models' ? (sel.hardwareId ?? '') : ''} data-testid="compare-machine">
              {data.machines.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          {data.suites.length ? (
            <label className="field">
              <span>{t('compare.suite')}</span>
              <select name="suite" defaultValue={sel.mode === 'models' ? (sel.suite ?? '') : ''}>
                {data.suites.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {data.models.length ? (
            <fieldset className="field">
              <legend>{t('compare.models')}</legend>
              <div className="checks">
                {data.models.map((m) => (
                  <label key={m.id}>
                    <input type="checkbox" name="models" value={m.id} defaultChecked={sel.mode === 'models' && sel.modelIds.includes(m.id)} />
                    {m.label} <span className="muted">({m.runCount})</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          <button type="submit">{t('compare.submit')}</button>
        </AutoSubmitForm>
        <form action="/compare" method="get" className="filters" aria-label={t('compare.mode.runs')}>
          <strong>{t('compare.mode.runs')}</strong>
          <input type="hidden" name="mode" value="runs" />
          <label className="field">
            <span>{t('compare.runIds')}</span>
            <input type="text" name="runs" inputMode="numeric" defaultValue={sel.mode === 'runs' ? sel.runIds.join(', ') : ''} size={22} />
          </label>
          <button type="submit">{t('compare.submit')}</button>
        </form>
        {data.sweeps.length ? (
          <AutoSubmitForm action="/compare" className="filters" label={t('compare.mode.sweep')}>
            <strong>{t('compare.mode.sweep')}</strong>
            <label className="field">
              <span>{t('compare.sweep')}</span>
              <select name="sweep" defaultValue={sel.mode === 'sweep' ? sel.sweepId : ''} data-testid="compare-sweep">
                {sel.mode === 'sweep' ? null : <option value="" />}
                {data.sweeps.map((s) => (
                  <option key={s.sweepId} value={s.sweepId}>
                    {t('compare.sweepOption', { date: formatDateTime(s.startedAt, lang), runs: s.runCount, models: s.models.join(', ') })}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{t('compare.submit')}</button>
          </AutoSubmitForm>
        ) : null}
      </div>

      {data.machines.length === 0 ? (
        <p className="notice">{t('compare.noData')}</p>
      ) : data.items.length < 2 ? (
        <p className="notice">{t('compare.needTwo')}</p>
      ) : (
        <>
          {sentences.length ? (
            <section className="verdict" aria-label={t('compare.verdict')} data-testid="verdict">
              {sentences.map((s) => (
                <p key={s}>{s}</p>
              ))}
            </section>
          ) : null}
          <CompareCharts items={data.items} lang={lang} />
          {graded ? <QualityScatter items={data.items} lang={lang} /> : null}
          <h2>{t('compare.table')}</h2>
          {data.sameMachine ? <p className="lead">{t('compare.onMachine', { machine: data.items[0].hardwareLabel })}</p> : null}
          <div className="table-wrap">
            <table data-testid="compare-table">
              <thead>
                <tr>
                  <th scope="col">{t('compare.col.item')}</th>
                  {data.sameMachine ? null : <th scope="col">{t('compare.machine')}</th>}
                  <th scope="col" className="num">{t('compare.col.runs')}</th>
                  <th scope="col" className="num">{t('compare.axis.genTps')}</th>
                  <th scope="col" className="num">{t('compare.axis.ttft')}</th>
                  <th scope="col" className="num">{t('compare.axis.jpt')}</th>
                  {graded ? <th scope="col" className="num">{t('compare.col.accuracy')}</th> : null}
                  {graded ? <th scope="col" className="num">{t('compare.col.jPerCorrect')}</th> : null}
                  <th scope="col">{t('compare.col.energySource')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((i) => (
                  <tr key={i.key}>
                    <td>{i.runIds.length === 1 ? <a href={`/runs/${i.runIds[0]}`}>{i.label}</a> : i.label}</td>
                    {data.sameMachine ? null : <td>{i.hardwareLabel}</td>}
                    <td className="num">{i.runIds.length}</td>
                    <td className="num">{stat(i.genTokensPerSec, 'tokPerSec')}</td>
                    <td className="num">{stat(i.ttftMs, 'ms')}</td>
                    <td className="num">{stat(i.joulesPerToken, 'jPerToken')}</td>
                    {graded ? <td className="num">{i.quality ? formatAccuracy(i.quality, lang) : '—'}</td> : null}
                    {graded ? <td className="num">{i.quality ? formatJPerCorrect(i.quality, lang) : '—'}</td> : null}
                    <td>
                      {i.energySource ? (
                        <EnergyTag source={i.energySource} boundaries={i.energyBoundaries} lang={lang} />
                      ) : (
                        <span className="not-measured">{t('common.notMeasured')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
