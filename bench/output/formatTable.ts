// A plain aligned text table for the terminal; columns are defined once, as data. Cells hold names from
// files (models, suites): their control characters are escaped.
import { escapeTerminal } from './escapeTerminal';

export interface TableColumn<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export function formatTable<T>(rows: readonly T[], columns: readonly TableColumn<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => escapeTerminal(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const render = (values: string[]) =>
    values.map((v, i) => (columns[i].align === 'right' ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [render(columns.map((c) => c.header)), ...cells.map(render)].join('\n');
}
