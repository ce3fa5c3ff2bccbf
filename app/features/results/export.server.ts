import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { filterableChoices, type ResultsFilter } from "~/domain/results-filter";
import { LIKERT_SCALE } from "~/domain/survey-definition";
import { responsePages, segmentCountsInView, type ExportedAnswer, type ExportedResponse } from "~/models/response-export.server";
import { loadSurveyStructure, optionKey, type SurveyStructure } from "~/models/survey-structure.server";
import { getFixedT } from "~/platform/i18n.server";
import { resultLabels, type QuestionLabels } from "~/features/results/labels.server";
import { surveyResults, type ResultsSurvey, type SurveyResults } from "~/features/results/counts.server";
import { questionCounts, withheldKinds } from "~/features/results/withheld";
import type { ShownCount } from "~/domain/anonymity";
import { csvStream, neutraliseFormula } from "~/platform/spreadsheet";

/**
 * Result exports: one row per response and one column per question (per
 * option for multiple choice, per row for matrices), in the staff member's
 * language; XLSX adds a sheet of the aggregated tables. Both stream: a page
 * of responses at a time. What they may contain:
 * - the view must pass the same disclosure rules as the page (else no file);
 * - anonymous surveys carry no participant columns, and any region, country,
 *   unit or language held by fewer than the threshold in the file is
 *   replaced by "< 5", so rare combinations do not point at a person;
 * - every text cell goes through neutraliseFormula.
 */
export interface ExportSurvey extends ResultsSurvey {
  slug: string;
  publishedVersion: number;
  mode: string;
}

type Cell = string | number;

/**
 * How one response becomes one row, compiled once per export: the fixed
 * columns read the response, and each answer goes straight to its column(s)
 * through a map by question (no search of a response's answers per column).
 * Labels are neutralised once here; text from people (answers, names,
 * segment values) per cell.
 */
interface RowWriter {
  header: string[];
  row(response: ExportedResponse): Cell[];
}

type Segment = "language" | "region" | "country" | "unit";

interface ExportPlan {
  writer: RowWriter;
  scope: { surveyId: string; structure: SurveyStructure; filter: ResultsFilter };
  results: SurveyResults;
  labels: Record<string, QuestionLabels>;
}

export class ExportRefused extends Error {}

/** Per question, what an answer row writes; `first` is true for the question's first answer row in the response. */
type AnswerWriter = (cells: Cell[], answer: ExportedAnswer, first: boolean, written: Uint8Array) => void;

async function plan(survey: ExportSurvey, filter: ResultsFilter, locale: string): Promise<ExportPlan> {
  const results = await surveyResults(survey, filter);
  if (results.disclosure !== "shown") throw new ExportRefused(results.disclosure);
  const structure = await loadSurveyStructure(survey.id, survey.definitionHash);
  const scope = { surveyId: survey.id, structure, filter };
  const labels = await resultLabels(locale, survey, structure);
  const staff = getFixedT(locale, "staff");
  const anonymous = survey.mode === "anonymous";
  const below = neutraliseFormula(staff("results.below", { threshold: survey.anonymityThreshold }));

  const rare = new Map<Segment, Set<string>>();
  if (anonymous) {
    for (const segment of ["language", "region", "country", "unit"] as const) {
      const counts = await segmentCountsInView(scope, segment);
      rare.set(segment, new Set([...counts].filter(([, count]) => count < survey.anonymityThreshold).map(([value]) => value)));
    }
  }
  const segment = (name: Segment, response: ExportedResponse) => {
    const value = response[name] ?? "";
    return rare.get(name)?.has(value) ? below : neutraliseFormula(value);
  };

  const header = ["response", "status", "language", "region", "country", "unit", "submitted_at"];
  if (!anonymous) header.push("name", "email");
  const fixedColumns = header.length;
  /** Each column's value before any answer is seen. */
  const blank: Cell[] = new Array<Cell>(fixedColumns).fill("");
  const writers = new Map<string, AnswerWriter>();
  const column = (name: string) => {
    header.push(name);
    blank.push("");
    return header.length - 1;
  };

  for (const section of structure.sections) {
    for (const question of section.questions) {
      const questionId = structure.questionIds.get(question.key)!;
      const label = labels[question.key]!;
      // Option id → its label as a cell (unknown ids write ""), looked up once per option.
      const optionLabels = new Map<string, string>();
      const optionLabel = (optionId: string | null) => {
        if (!optionId) return "";
        let text = optionLabels.get(optionId);
        if (text === undefined) {
          const option = structure.optionsById.get(optionId);
          optionLabels.set(optionId, (text = option ? neutraliseFormula(label.options[option.key] ?? option.key) : ""));
        }
        return text;
      };
      let write: AnswerWriter;
      switch (question.type) {
        case "likert":
        case "single": {
          const at = column(question.key);
          write = (cells, [, optionId], first) => {
            if (first) cells[at] = optionLabel(optionId);
          };
          break;
        }
        case "multiple": {
          // 1 chosen, 0 not chosen, blank: the question was not answered.
          const slots = filterableChoices(question)!.map((option) => ({
            optionId: structure.optionIds.get(optionKey(question.key, "choice", option)),
            at: column(`${question.key}.${option}`),
          }));
          const byOption = new Map(slots.filter((slot) => slot.optionId !== undefined).map((slot) => [slot.optionId!, slot.at]));
          write = (cells, [, optionId], first) => {
            if (first) for (const slot of slots) cells[slot.at] = 0;
            const at = optionId === null ? undefined : byOption.get(optionId);
            if (at !== undefined) cells[at] = 1;
          };
          break;
        }
        case "matrix": {
          const byRow = new Map<string, number>();
          for (const row of question.rows) {
            const at = column(`${question.key}.${row}`);
            const rowId = structure.optionIds.get(optionKey(question.key, "row", row));
            if (rowId !== undefined) byRow.set(rowId, at);
          }
          write = (cells, [, optionId, rowId], _first, written) => {
            const at = rowId === null ? undefined : byRow.get(rowId);
            // The row's first answer counts.
            if (at !== undefined && !written[at]) {
              written[at] = 1;
              cells[at] = optionLabel(optionId);
            }
          };
          break;
        }
        case "text": {
          const at = column(question.key);
          write = (cells, [, , , textValue], first) => {
            if (first) cells[at] = neutraliseFormula(textValue ?? "");
          };
          break;
        }
        case "number": {
          const at = column(question.key);
          write = (cells, [, , , , numberValue], first) => {
            if (first) cells[at] = numberValue ?? "";
          };
          break;
        }
      }
      if (question.allowOther) {
        const main = write;
        const at = column(`${question.key}.other_text`);
        write = (cells, answer, first, written) => {
          main(cells, answer, first, written);
          // The first answer row with a text.
          const textValue = answer[3];
          if (textValue && !written[at]) {
            written[at] = 1;
            cells[at] = neutraliseFormula(textValue);
          }
        };
      }
      writers.set(questionId, write);
    }
  }

  let sequence = 0;
  const written = new Uint8Array(header.length);
  const seen = new Set<string>();
  const row = (response: ExportedResponse): Cell[] => {
    const cells = blank.slice();
    // A running number, not the database id: nothing in the file can be matched with other records.
    cells[0] = ++sequence;
    cells[1] = neutraliseFormula(response.status);
    cells[2] = segment("language", response);
    cells[3] = segment("region", response);
    cells[4] = segment("country", response);
    cells[5] = segment("unit", response);
    cells[6] = isoOrBlank(response.submittedAt, anonymous);
    if (!anonymous) {
      cells[7] = neutraliseFormula(response.name ?? "");
      cells[8] = neutraliseFormula(response.email ?? "");
    }
    written.fill(0);
    seen.clear();
    for (const answer of response.answers) {
      const questionId = answer[0];
      const first = !seen.has(questionId);
      if (first) seen.add(questionId);
      writers.get(questionId)?.(cells, answer, first, written);
    }
    return cells;
  };
  return { writer: { header, row }, scope, results, labels };
}

function isoOrBlank(value: Date | string | null, dayOnly: boolean): string {
  if (value === null) return "";
  const iso = new Date(value).toISOString();
  return dayOnly ? iso.slice(0, 10) : iso;
}

/** The CSV export as a stream; throws ExportRefused before anything is sent when the view may not be shown. */
export async function resultsCsv(survey: ExportSurvey, filter: ResultsFilter, locale: string): Promise<ReadableStream<Uint8Array>> {
  const { writer, scope } = await plan(survey, filter, locale);
  const pages = responsePages(scope, { withParticipant: survey.mode !== "anonymous" });
  async function* rows() {
    // Leaving the loop early (the client went away) closes the database pages too.
    for await (const page of pages) yield page.map(writer.row);
  }
  return csvStream(writer.header, rows());
}

/** The XLSX export: a "Summary" sheet of the aggregated tables and a "Responses" sheet, streamed. */
/** `responseRows: false` leaves out the Responses sheet (results viewers see aggregates only). */
export async function resultsXlsx(
  survey: ExportSurvey,
  filter: ResultsFilter,
  locale: string,
  options: { responseRows: boolean } = { responseRows: true },
): Promise<ReadableStream<Uint8Array>> {
  const { writer, scope, results, labels } = await plan(survey, filter, locale);
  const staff = getFixedT(locale, "staff");
  const common = getFixedT(locale, "common");
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  reuseEmptyStyles(workbook);
  const text = (value: string) => neutraliseFormula(value);
  // The page's labels: "< 5" for a small count, "hidden" for one withheld to protect it, each explained above the tables.
  const shown = (count: ShownCount) =>
    count === "few" ? staff("results.below", { threshold: survey.anonymityThreshold }) : count === "hidden" ? staff("results.hidden") : count;
  const kinds = withheldKinds(results.questions.flatMap((question) => questionCounts(question)));

  const write = async () => {
    const summary = workbook.addWorksheet(staff("results.export.summarySheet"));
    summary.addRow([text(staff("results.export.respondents")), results.size]).commit();
    summary.addRow([text(staff("results.countedAt")), results.computedAt]).commit();
    for (const kind of kinds) {
      summary
        .addRow([text(kind === "few" ? staff("results.fewExplained", { threshold: survey.anonymityThreshold }) : staff("results.hiddenExplained"))])
        .commit();
    }
    for (const question of results.questions) {
      const label = labels[question.key]!;
      summary.addRow([]).commit();
      const heading = summary.addRow([text(label.label)]);
      heading.font = { bold: true };
      heading.commit();
      summary
        .addRow([
          text(
            typeof question.answered === "number"
              ? staff("results.answered", { count: question.answered, value: String(question.answered) })
              : `${staff("results.answeredLabel")}: ${shown(question.answered)}`,
          ),
          text(`${staff("results.noAnswer")}: ${shown(question.noAnswer)}`),
        ])
        .commit();
      for (const option of question.options) summary.addRow([text(label.options[option.key] ?? option.key), shown(option.count)]).commit();
      if (question.rows.length) {
        summary.addRow(["", ...LIKERT_SCALE.map((point) => text(common(`likert.${point.key}`))), text(staff("results.noAnswer"))]).commit();
        for (const row of question.rows) {
          summary.addRow([text(label.rows[row.key] ?? row.key), ...row.options.map((option) => shown(option.count)), shown(row.noAnswer)]).commit();
        }
      }
      if (question.number) {
        summary.addRow([text(staff("results.mean")), question.number.mean ?? ""]).commit();
        summary.addRow([text(staff("results.median")), question.number.median ?? ""]).commit();
      }
    }
    summary.commit();
    if (!options.responseRows) return workbook.commit();

    const sheet = workbook.addWorksheet(staff("results.export.responsesSheet"));
    sheet.addRow(writer.header).commit();
    for await (const page of responsePages(scope, { withParticipant: survey.mode !== "anonymous" })) {
      for (const response of page) sheet.addRow(writer.row(response)).commit();
      // Wait while the zip and the client catch up: memory stays flat however large the survey.
      await zipCaughtUp(sheet, output);
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return pullFrom(output);
}

/**
 * exceljs gives every cell a fresh empty style object, and its style index
 * works out the id of each one from scratch (a seventh of an export's time).
 * An empty style always gets the same id for a given kind of cell, so it is
 * worked out once per kind; the file is the same. Reads exceljs internals: if
 * their shape changes, this does nothing.
 */
function reuseEmptyStyles(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const styles = (workbook as unknown as { styles?: { addStyleModel?: (model: object | undefined, cellType: number) => number } }).styles;
  const original = styles?.addStyleModel?.bind(styles);
  if (!styles || !original) return;
  const emptyIds = new Map<number, number>();
  styles.addStyleModel = (model, cellType) => {
    if (!model || Object.keys(model).length > 0) return original(model, cellType);
    let id = emptyIds.get(cellType);
    if (id === undefined) emptyIds.set(cellType, (id = original(model, cellType)));
    return id;
  };
}

/**
 * A web stream that reads the Node stream only when the response asks for
 * more. (Node 20's Readable.toWeb queues up to 16,384 chunks ahead, which for
 * an export is most of the file in memory.)
 */
function pullFrom(source: PassThrough): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
    cancel() {
      source.destroy();
    },
  });
}

const ZIP_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * exceljs 4.4's streaming writer hands rows to the zip without waiting for
 * it (its sheet buffer's write() always returns true), so a producer faster
 * than deflate, or than a slow client, would pile the whole sheet up in
 * memory. This waits while the sheet's buffer and the zip entry behind it
 * hold more than a few megabytes, or while our output waits for the client.
 * It reads exceljs internals; if their shape changes it only stops pacing.
 */
async function zipCaughtUp(sheet: ExcelJS.Worksheet, output: PassThrough): Promise<void> {
  // The zip entry is a readable-stream PassThrough, whose backlog is _writableState.length.
  const internals = sheet as unknown as { stream?: { buffers?: unknown[]; pipes?: { _writableState?: { length?: number } }[] } };
  for (;;) {
    const stream = internals.stream;
    const backlog = (stream?.buffers?.length ?? 0) * 65_536 + (stream?.pipes?.[0]?._writableState?.length ?? 0);
    if (output.destroyed || (backlog < ZIP_BACKLOG_BYTES && !output.writableNeedDrain)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
