import { stringify } from "csv-stringify/sync";

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

/**
 * A CSV file as a stream: a UTF-8 byte order mark (so Excel reads Arabic and
 * Chinese as UTF-8), the header, then each page of rows as it is pulled, so
 * a large export never sits in memory and a slow client slows the reading.
 * Cells are written as given: neutralise user text before it gets here.
 */
export function csvStream(header: readonly string[], pages: AsyncGenerator<readonly (readonly (string | number)[])[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${stringify([header])}`));
        return;
      }
      const next = await pages.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(stringify(next.value as string[][])));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}
