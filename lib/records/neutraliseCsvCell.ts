// A text cell that a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return before one)
// gets a leading apostrophe, so that opening an export never runs what a model wrote or a suite file named.
// Only text: numbers are written as numbers, a negative figure included.

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
