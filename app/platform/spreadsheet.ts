/**
 * Spreadsheet programs run a cell that starts with =, +, -, @, a tab or a
 * carriage return as a formula ("CSV injection"). Every text cell Parley
 * exports goes through here: such a value gets a leading apostrophe, which
 * Excel and LibreOffice show as plain text and do not evaluate.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
