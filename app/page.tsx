import type { Metadata } from 'next';
import { getRequestLang } from '@/lib/i18n/requestLang';
import { translate } from '@/lib/i18n/translate';
import { getDashboardDb } from '@/lib/queries/dashboardDb';
import { getRunFilterOptions, getRunSummaries } from '@/lib/queries/getRunSummaries';
import { parseRunFilters, RUN_STATUSES, type SearchParams } from '@/lib/queries/params';
import { formatCount } from '@/lib/format/numbers';
import { AutoSubmitForm } from './_components/AutoSubmitForm';
import { RunsTable, runsHref } from './_components/RunsTable';
import { EmptyState } from './_components/ui';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: translate(await getRequestLang(), 'runs.title') };
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [lang, sp] = await Promise.all([getRequestLang(), searchParams]);
  const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(lang, k, v);
  const conn = getDashboardDb();
  if (conn.status === 'missing') return <EmptyState lang={lang} path={conn.path} reason={conn.reason} problem={conn.problem} />;
  const filters = parseRunFilters(sp);
  const page = getRunSummaries(conn.db, filters);
  const options = getRunFilterOptions(conn.db);
  const filtered = filters.modelId !== null || filters.hardwareId !== null || filters.status !== null;
  if (page.total === 0 && !filtered) return <EmptyState lang={lang} path={conn.path} />;

  return (
    <>
      <h1>{t('runs.title')}</h1>
      <p className="lead" data-testid="runs-total">
        {t('runs.total', { n: formatCount(page.total, lang) })}
      </p>
      <AutoSubmitForm action="/" className="filters" label={t('runs.filters')}>
        <label className="field">
          <span>{t('runs.filter.model')}</span>
          <select name="model" defaultValue={filters.modelId ?? ''} data-testid="filter-model">
            <option value="">{t('common.all')}</option>
            {options.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label} ({formatCount(m.runCount, lang)})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('runs.filter.hardware')}</span>
          <select name="hw" defaultValue={filters.hardwareId ?? ''} data-testid="filter-hardware">
            <option value="">{t('common.all')}</option>
            {options.hardware.map((h) => (
              <option key={h.id} value={h.id}>
                {h.label} ({formatCount(h.runCount, lang)})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('runs.filter.status')}</span>
          <select name="status" defaultValue={filters.status ?? ''} data-testid="filter-status">
            <option value="">{t('common.all')}</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {filters.sort !== 'date' ? <input type="hidden" name="sort" value={filters.sort} /> : null}
        {filters.dir ? <input type="hidden" name="dir" value={filters.dir} /> : null}
        <button type="submit">{t('common.apply')}</button>
        {filtered ? (
          <a className="button secondary" href={runsHref(filters, { model: null, hw: null, status: null, page: null })}>
            {t('common.reset')}
          </a>
        ) : null}
      </AutoSubmitForm>
      {page.total === 0 ? <p className="notice">{t('runs.noMatch')}</p> : <RunsTable page={page} filters={filters} lang={lang} />}
    </>
  );
}
