import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import { getDashboardDb } from '@/lib/queries/dashboardDb';
import { getFootprintCountries, getFootprintRuns, getRunFootprint } from '@/lib/queries/getRunFootprint';
import { first, parseCountry, parseId, type SearchParams } from '@/lib/queries/params';
import { formatCount } from '@/lib/format/numbers';
import { formatWh, formatJoules } from '@/lib/format/units';
import { formatDateTime } from '@/lib/format/dates';
import { AutoSubmitForm } from '../_components/AutoSubmitForm';
import { FootprintView } from '../_components/FootprintView';
import { EmptyState } from '../_components/ui';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: translate(await getRequestLang(), 'footprint.title') };
}

export default async function FootprintPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [lang, sp] = await Promise.all([getRequestLang(), searchParams]);
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  const conn = getDashboardDb();
  if (conn.status === 'missing') return <EmptyState lang={lang} path={conn.path} reason={conn.reason} problem={conn.problem} />;
  const raw = first(sp.run);
  const asked = raw === undefined || raw === '' ? null : parseId(raw);
  if (raw !== undefined && raw !== '' && asked === null) notFound();
  const runs = getFootprintRuns(conn.db);
  const runId = asked ?? runs[0]?.id ?? null;
  if (runId === null) {
    return (
      <>
        <h1>{t('footprint.title')}</h1>
        <p className="notice">{t('footprint.noRuns')}</p>
      </>
    );
  }
  const country = parseCountry(sp.country);
  const fp = getRunFootprint(conn.db, runId, country, undefined, lang);
  if (!fp) notFound();
  const countries = getFootprintCountries();
  const { input } = fp;
  const options = runs.some((r) => r.id === runId) ? runs : [{ id: runId, label: `#${runId} ${input.model.label}`, startedAt: 0, energySource: null }, ...runs];

  return (
    <>
      <h1>{t('footprint.title')}</h1>
      <AutoSubmitForm action="/footprint" className="filters" label={t('footprint.title')}>
        <label className="field">
          <span>{t('footprint.run')}</span>
          <select name="run" defaultValue={runId} data-testid="footprint-run">
            {options.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
                {r.startedAt ? ` · ${formatDateTime(r.startedAt, lang)}` : ''}
              </option>
            ))}
          </select>
        </label>
        {countries.length ? (
          <label className="field">
            <span>{t('footprint.country')}</span>
            <select name="country" defaultValue={fp.comparison?.country.code ?? country ?? ''} data-testid="footprint-country">
              {countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="submit">{t('footprint.submit')}</button>
      </AutoSubmitForm>

      <p>
        <a href={`/runs/${input.runId}`}>{t('common.run', { id: input.runId })}</a> · {input.model.label} —{' '}
        {t('footprint.inputs', { answers: formatCount(input.answers, lang), input: formatCount(input.inputTokens, lang), output: formatCount(input.outputTokens, lang) })}
      </p>
      {input.local ? (
        <>
          <p data-testid="footprint-local">
            {t('footprint.localEnergy', {
              value: `${formatWh(input.local.wh, lang)} (${formatJoules(input.local.joules, lang)})`,
              label: input.local.label,
            })}
            <span
              className={`tag${input.local.basis === 'measured' ? '' : ' estimate'}`}
              title={t('footprint.basis', { basis: input.local.basisText })}
              data-testid="footprint-basis"
            >
              {input.local.basisText}
            </span>
          </p>
          <p className="muted" data-testid="footprint-window">
            {input.local.window}
          </p>
          {input.local.constantNote ? (
            <p className="notice warn" data-testid="footprint-constant">
              {input.local.constantNote}
            </p>
          ) : null}
        </>
      ) : (
        <p className="notice warn" data-testid="footprint-local">
          {t('footprint.localNotMeasured')}
        </p>
      )}
      {fp.comparison ? (
        <FootprintView comparison={fp.comparison} answers={input.answers} lang={lang} />
      ) : (
        <p className="notice" data-testid="footprint-unavailable">
          {t('footprint.unavailable')}
          {fp.error ? ` (${fp.error})` : ''}
        </p>
      )}
    </>
  );
}
