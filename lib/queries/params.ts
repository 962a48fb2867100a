// Validation of route and search parameters: anything malformed becomes null (→ 404 or the default), never a crash.
import { RUN_STATUSES, type RunStatus } from '../domain/types';
import { RUN_SORT_KEYS, type RunListQuery, type RunSortKey, type SortDir } from '../records/listRunSummaries';

export type SearchParams = Record<string, string | string[] | undefined>;

export { RUN_STATUSES };

/** The first value of a search parameter. */
export function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A positive database id written in decimal ("12"), else null. */
export function parseId(value: string | string[] | undefined | null): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || !/^[1-9][0-9]{0,14}$/.test(v)) return null;
  return Number(v);
}

/** Ids from "1,2,3", "1 2 3" or repeated parameters; invalid entries are dropped, at most `max` kept. */
export function parseIdList(value: string | string[] | undefined, max = 12): number[] {
  const parts = (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.split(/[\s,;]+/));
  const ids: number[] = [];
  for (const p of parts) {
    const id = parseId(p);
    if (id !== null && !ids.includes(id)) ids.push(id);
    if (ids.length >= max) break;
  }
  return ids;
}

export function parseStatus(value: string | string[] | undefined): RunStatus | null {
  const v = first(value);
  return RUN_STATUSES.includes(v as RunStatus) ? (v as RunStatus) : null;
}

export { RUN_SORT_KEYS, type RunSortKey, type SortDir };

/** The runs page's query of lib/records' list; pageSize defaults to 50. */
export type RunFilters = RunListQuery;

/** The direction a column sorts in when first clicked: best first for figures, newest first for dates. */
export function defaultDir(sort: RunSortKey): SortDir {
  return sort === 'model' || sort === 'hardware' || sort === 'status' || sort === 'ttft' || sort === 'jpt' ? 'asc' : 'desc';
}

export function parseRunFilters(sp: SearchParams): RunFilters {
  const sortRaw = first(sp.sort);
  const sort: RunSortKey = RUN_SORT_KEYS.includes(sortRaw as RunSortKey) ? (sortRaw as RunSortKey) : 'date';
  const dirRaw = first(sp.dir);
  const dir: SortDir = dirRaw === 'asc' || dirRaw === 'desc' ? dirRaw : defaultDir(sort);
  const page = parseId(sp.page) ?? 1;
  return {
    modelId: parseId(sp.model),
    hardwareId: parseId(sp.hw),
    status: parseStatus(sp.status),
    sort,
    dir,
    page: Math.min(page, 1_000_000),
    pageSize: 50,
  };
}

/** A country code such as "FR" or "WORLD"; null when malformed. */
export function parseCountry(value: string | string[] | undefined): string | null {
  const v = first(value);
  return typeof v === 'string' && /^[A-Za-z]{2,8}$/.test(v) ? v.toUpperCase() : null;
}
