import type { Lang } from '@/lib/i18n/lang';
import { translate, type MessageKey } from '@/lib/i18n/translate';
import type { RunSummaryPage } from '@/lib/queries/getRunSummaries';
import { defaultDir, type RunFilters, type RunSortKey } from '@/lib/queries/params';
import { formatNumber } from '@/lib/format/numbers';
import { formatDateTime } from '@/lib/format/dates';
import { formatPercent } from '@/lib/format/units';
import { formatJPerCorrect } from '@/lib/format/quality';
import { BasisTag, EnergyTag, StatusBadge, Value } from './ui';

/** The query string of the runs list with some parameters changed (null removes one). */
export function runsHref(filters: RunFilters, changes: Partial<Record<'model' | 'hw' | 'status' | 'sort' | 'dir' | 'page', string | number | null>>): string {
  const p = new URLSearchParams();
  const base: Record<string, string | number | null> = {
    model: filters.modelId,
    hw: filters.hardwareId,
    status: filters.status,
    sort: filters.sort === 'date' ? null : filters.sort,
    dir: filters.dir === defaultDir(filters.sort) ? null : filters.dir,
    page: filters.page > 1 ? filters.page : null,
  };
  for (const [k, v] of Object.entries({ ...base, ...changes })) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const q = p.toString();
  return q ? `/?${q}` : '/';
}

const COLUMNS: { key: RunSortKey; label: MessageKey; num?: boolean }[] = [
  { key: 'id', label: 'runs.col.id', num: true },
  { key: 'model', label: 'runs.col.model' },
  { key: 'hardware', label: 'runs.col.hardware' },
  { key: 'date', label: 'runs.col.date' },
  { key: 'status', label: 'runs.col.status' },
  { key: 'genTps', label: 'runs.col.genTps', num: true },
  { key: 'ttft', label: 'runs.col.ttft', num: true },
  { key: 'jpt', label: 'runs.col.jpt', num: true },
];

export function RunsTable({ page, filters, lang }: { page: RunSummaryPage; filters: RunFilters; lang: Lang }) {
  const t = (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v);
  // Graded runs (a suite with expected answers) add a column; a page without one keeps the table as it was.
  const graded = page.rows.some((r) => r.quality !== null);
  return (
    <>
      <form id="compare-form" action="/compare" method="get" />
      <div className="table-wrap">
        <table data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('runs.col.select')}</span>
              </th>
              {COLUMNS.map((c) => {
                const active = filters.sort === c.key;
                const nextDir = active ? (filters.dir === 'asc' ? 'desc' : 'asc') : defaultDir(c.key);
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className={c.num ? 'num' : undefined}
                    aria-sort={active ? (filters.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    <a href={runsHref(filters, { sort: c.key, dir: nextDir, page: null })} title={t('runs.sortBy', { column: t(c.label) })}>
                      {t(c.label)}
                      {active ? (
                        <span className="sort-mark" aria-hidden="true">
                          {filters.dir === 'asc' ? '▲' : '▼'}
                        </span>
                      ) : null}
                    </a>
                  </th>
                );
              })}
              {graded ? (
                <th scope="col" className="num">
                  {t('runs.col.accuracy')}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => (
              <tr key={r.id} data-run-id={r.id}>
                <td>
                  <input type="checkbox" name="runs" value={r.id} form="compare-form" aria-label={t('runs.selectRun', { id: r.id })} />
                </td>
                <td className="num">
                  <a href={`/runs/${r.id}`}>{r.id}</a>
                </td>
                <td>
                  <a href={`/runs/${r.id}`}>{r.modelLabel}</a>
                  {r.modelType ? <span className="tag">{r.modelType}</span> : null}
                  {r.endpoint ? (
                    <span className="tag" title={r.endpoint}>
                      {t('runs.serverTag')}
                    </span>
                  ) : null}
                  <div className="muted">
                    {r.suite}
                    {r.label ? ` · ${r.label}` : ''}
                  </div>
                </td>
                <td>{r.hardwareLabel}</td>
                <td>{formatDateTime(r.startedAt, lang)}</td>
                <td>
                  <StatusBadge status={r.status} lang={lang} />
                </td>
                <td className="num">
                  <Value value={r.genTokensPerSec} text={r.genTokensPerSec === null ? '' : formatNumber(r.genTokensPerSec, lang)} lang={lang} />
                </td>
                <td className="num">
                  <Value value={r.ttftMs} text={r.ttftMs === null ? '' : formatNumber(r.ttftMs, lang)} lang={lang} />
                </td>
                <td className="num">
                  <Value value={r.joulesPerToken} text={r.joulesPerToken === null ? '' : formatNumber(r.joulesPerToken, lang)} lang={lang} />
                  {r.joulesPerToken === null ? null : <BasisTag basis={r.energyBasis} lang={lang} />}
                  <div>
                    <EnergyTag source={r.energySource} boundaries={r.energyBoundaries} lang={lang} />
                  </div>
                </td>
                {graded ? (
                  <td className="num" data-testid="run-accuracy">
                    {r.quality ? (
                      <>
                        {formatPercent(r.quality.accuracy.p * 100, lang)}
                        <div className="muted">{formatJPerCorrect(r.quality, lang)}</div>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pagination">
        <button type="submit" form="compare-form" className="secondary">
          {t('runs.compareSelected')}
        </button>
        <nav aria-label={t('runs.pagination')} className="pagination">
          {page.page > 1 ? <a href={runsHref(filters, { page: page.page - 1 })}>← {t('runs.prev')}</a> : null}
          <span>{t('runs.page', { page: page.page, pages: page.pageCount })}</span>
          {page.page < page.pageCount ? <a href={runsHref(filters, { page: page.page + 1 })}>{t('runs.next')} →</a> : null}
        </nav>
      </div>
    </>
  );
}
