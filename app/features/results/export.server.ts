import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { filterableChoices, type ResultsFilter } from "~/domain/results-filter";
import { LIKERT_SCALE } from "~/domain/survey-definition";
import { responsePages, segmentCountsInView, type ExportedResponse } from "~/models/response-export.server";
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

interface Column {
  header: string;
  value(response: ExportedResponse): string | number;
}

type Segment = "language" | "region" | "country" | "unit";

interface ExportPlan {
  columns: Column[];
  scope: { surveyId: string; structure: SurveyStructure; filter: ResultsFilter };
  results: SurveyResults;
  labels: Record<string, QuestionLabels>;
}

export class ExportRefused extends Error {}

async function plan(survey: ExportSurvey, filter: ResultsFilter, locale: string): Promise<ExportPlan> {
  const results = await surveyResults(survey, filter);
  if (results.disclosure !== "shown") throw new ExportRefused(results.disclosure);
  const structure = await loadSurveyStructure(survey.id, survey.definitionHash);
  const scope = { surveyId: survey.id, structure, filter };
  const labels = await resultLabels(locale, survey, structure);
  const staff = getFixedT(locale, "staff");
  const anonymous = survey.mode === "anonymous";
  const below = staff("results.below", { threshold: survey.anonymityThreshold });

  const rare = new Map<Segment, Set<string>>();
  if (anonymous) {
    for (const segment of ["language", "region", "country", "unit"] as const) {
      const counts = await segmentCountsInView(scope, segment);
      rare.set(segment, new Set([...counts].filter(([, count]) => count < survey.anonymityThreshold).map(([value]) => value)));
    }
  }
  const segment = (name: Segment) => (response: ExportedResponse) => {
    const value = response[name] ?? "";
    return rare.get(name)?.has(value) ? below : value;
  };

  let sequence = 0;
  const columns: Column[] = [
    // A running number, not the database id: nothing in the file can be matched with other records.
    { header: "response", value: () => ++sequence },
    { header: "status", value: (response) => response.status },
    { header: "language", value: segment("language") },
    { header: "region", value: segment("region") },
    { header: "country", value: segment("country") },
    { header: "unit", value: segment("unit") },
    { header: "submitted_at", value: (response) => isoOrBlank(response.submittedAt, anonymous) },
  ];
  if (!anonymous) {
    columns.push({ header: "name", value: (response) => response.name ?? "" }, { header: "email", value: (response) => response.email ?? "" });
  }

  for (const section of structure.sections) {
    for (const question of section.questions) {
      const questionId = structure.questionIds.get(question.key)!;
      const label = labels[question.key]!;
      const own = (response: ExportedResponse) => response.answers.filter((answer) => answer.questionId === questionId);
      const optionLabel = (optionId: string | null) => {
        const option = optionId ? structure.optionsById.get(optionId) : undefined;
        return option ? (label.options[option.key] ?? option.key) : "";
      };
      switch (question.type) {
        case "likert":
        case "single":
          columns.push({ header: question.key, value: (response) => optionLabel(own(response)[0]?.optionId ?? null) });
          break;
        case "multiple":
          for (const option of filterableChoices(question)!) {
            const optionId = structure.optionIds.get(optionKey(question.key, "choice", option));
            columns.push({
              header: `${question.key}.${option}`,
              // 1 chosen, 0 not chosen, blank: the question was not answered.
              value: (response) => {
                const answers = own(response);
                return answers.length === 0 ? "" : answers.some((answer) => answer.optionId === optionId) ? 1 : 0;
              },
            });
          }
          break;
        case "matrix":
          for (const row of question.rows) {
            const rowId = structure.optionIds.get(optionKey(question.key, "row", row));
            columns.push({
              header: `${question.key}.${row}`,
              value: (response) => optionLabel(own(response).find((answer) => answer.rowId === rowId)?.optionId ?? null),
            });
          }
          break;
        case "text":
          columns.push({ header: question.key, value: (response) => own(response)[0]?.textValue ?? "" });
          break;
        case "number":
          columns.push({ header: question.key, value: (response) => own(response)[0]?.numberValue ?? "" });
          break;
      }
      if (question.allowOther) {
        columns.push({ header: `${question.key}.other_text`, value: (response) => own(response).find((answer) => answer.textValue)?.textValue ?? "" });
      }
    }
  }
  return { columns, scope, results, labels };
}

function isoOrBlank(value: Date | string | null, dayOnly: boolean): string {
  if (value === null) return "";
  const iso = new Date(value).toISOString();
  return dayOnly ? iso.slice(0, 10) : iso;
}

function cells(columns: Column[], response: ExportedResponse): (string | number)[] {
  return columns.map((column) => {
    const value = column.value(response);
    return typeof value === "string" ? neutraliseFormula(value) : value;
  });
}

/** The CSV export as a stream; throws ExportRefused before anything is sent when the view may not be shown. */
export async function resultsCsv(survey: ExportSurvey, filter: ResultsFilter, locale: string): Promise<ReadableStream<Uint8Array>> {
  const { columns, scope } = await plan(survey, filter, locale);
  const pages = responsePages(scope, { withParticipant: survey.mode !== "anonymous" });
  async function* rows() {
    // Leaving the loop early (the client went away) closes the database pages too.
    for await (const page of pages) yield page.map((response) => cells(columns, response));
  }
  return csvStream(
    columns.map((column) => column.header),
    rows(),
  );
}

/** The XLSX export: a "Summary" sheet of the aggregated tables and a "Responses" sheet, streamed. */
/** `responseRows: false` leaves out the Responses sheet (results viewers see aggregates only). */
export async function resultsXlsx(
  survey: ExportSurvey,
  filter: ResultsFilter,
  locale: string,
  options: { responseRows: boolean } = { responseRows: true },
): Promise<ReadableStream<Uint8Array>> {
  const { columns, scope, results, labels } = await plan(survey, filter, locale);
  const staff = getFixedT(locale, "staff");
  const common = getFixedT(locale, "common");
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
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
    sheet.addRow(columns.map((column) => column.header)).commit();
    for await (const page of responsePages(scope, { withParticipant: survey.mode !== "anonymous" })) {
      for (const response of page) sheet.addRow(cells(columns, response)).commit();
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
