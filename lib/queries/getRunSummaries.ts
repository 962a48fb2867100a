// The runs page's list and filter menus: lib/records' list, the one `wattbench list` reads too.
export {
  listRunSummaries as getRunSummaries,
  listRunFilterOptions as getRunFilterOptions,
  type RunSummaryRow,
  type RunSummaryPage,
  type FilterOption,
  type RunFilterOptions,
} from '../records/listRunSummaries';
