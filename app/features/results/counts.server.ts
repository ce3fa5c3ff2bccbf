import { suppressCells, viewDisclosure, visibleCount, type ShownCount, type ViewDisclosure } from "~/domain/anonymity";
import type { QuestionView } from "~/domain/answers";
import { comparableViews, filterableChoices, filterSearchParams, SEGMENT_DIMENSIONS, type ResultsFilter, type SegmentDimension } from "~/domain/results-filter";
import { LIKERT_SCALE } from "~/domain/survey-definition";
import {
  addCounts,
  cellKey,
  countedView,
  countView,
  isWholeSurvey,
  maintainedCounts,
  resultsVersion,
  segmentValueCounts,
  type ViewCounts,
  type ViewScope,
} from "~/models/results.server";
import { loadSurveyStructure, optionKey, type SurveyStructure } from "~/models/survey-structure.server";

/**
 * The results of one view of a survey (a filter), with every count already
 * passed through the disclosure rules of domain/anonymity.ts: what leaves
 * this module may be shown, charted and exported as it is. A withheld count
 * says why: "few" (fewer than the threshold) or "hidden" (to protect a "few"
 * cell of the same distribution).
 */
export interface CountCell {
  key: string;
  count: ShownCount;
}

export interface NumberBucket {
  /** null: open-ended ("below `to`" / "`from` or more"), after merging sparse tails. */
  from: number | null;
  to: number | null;
  count: ShownCount;
}

export interface QuestionResult {
  key: string;
  section: string;
  type: QuestionView["type"];
  answered: ShownCount;
  /** Respondents in the view who did not answer (including those the question was not shown to). */
  noAnswer: ShownCount;
  options: CountCell[];
  rows: { key: string; options: CountCell[]; noAnswer: ShownCount }[];
  number: { mean: number | null; median: number | null; buckets: NumberBucket[] } | null;
  /** Free-text answers (text questions, "other, please specify"), readable on the comments page. */
  texts: number | null;
}

export interface SurveyResults {
  size: number;
  disclosure: ViewDisclosure;
  questions: QuestionResult[];
  /** Filter menu entries: only values held by at least the threshold. */
  segments: Record<SegmentDimension, { value: string; count: number }[]>;
  computedAt: string;
}

export interface ResultsSurvey {
  id: string;
  definitionHash: string;
  anonymityThreshold: number;
}

const CACHE_LIMIT = 200;
/** How long a request waits for a recount before it is shown the previous figures, labelled with their time. */
const RECOUNT_WAIT_MS = 1_500;

interface CacheEntry {
  version: string;
  results: SurveyResults;
  recount?: Promise<SurveyResults>;
}
const cache = new Map<string, CacheEntry>();

/**
 * The unfiltered view of submitted responses is read from the maintained
 * counts (milliseconds); a filtered view is counted from the answers, which
 * takes the database up to seconds at 100,000 responses. So results are
 * counted again only when responses changed (resultsVersion: one primary-key
 * read, plus two index reads for views with drafts): staff opening the same
 * page, or going back and forth between filters, cost one count. When responses did change and a recount takes
 * longer than RECOUNT_WAIT_MS, the page gets the previous figures with the
 * time they were counted (`stale`) while the recount finishes in the
 * background. Each instance keeps its own cache; the version keeps them all
 * exact.
 */
export async function surveyResults(survey: ResultsSurvey, filter: ResultsFilter): Promise<SurveyResults & { stale: boolean }> {
  const key = `${survey.id}|${survey.definitionHash}|${survey.anonymityThreshold}|${filterSearchParams(filter).toString()}`;
  const version = await resultsVersion(survey.id, filter.includeDrafts);
  const entry = cache.get(key);
  if (entry) {
    // Re-inserted so that the least recently used entry is the first to go.
    cache.delete(key);
    cache.set(key, entry);
  }
  if (entry?.version === version) return { ...entry.results, stale: false };

  const recount =
    entry?.recount ??
    countResults(survey, filter).then((results) => {
      cache.set(key, { version, results });
      if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
      return results;
    });
  if (!entry) return { ...(await recount), stale: false };
  entry.recount = recount;
  recount.catch(() => (entry.recount = undefined));
  const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, RECOUNT_WAIT_MS));
  const fresh = await Promise.race([recount, timeout]);
  return fresh ? { ...fresh, stale: false } : { ...entry.results, stale: true };
}

async function countResults(survey: ResultsSurvey, filter: ResultsFilter): Promise<SurveyResults> {
  const threshold = survey.anonymityThreshold;
  const structure = await loadSurveyStructure(survey.id, survey.definitionHash);
  const scope: ViewScope = { surveyId: survey.id, structure, filter };
  const computedAt = new Date().toISOString();
  const segments = await filterMenus(survey.id, filter.includeDrafts, threshold);

  const size = await countView(scope);
  const disclosure = viewDisclosure(size, await differences(scope, size), threshold);
  if (disclosure !== "shown") return { size: visibleCount(size, threshold) ?? 0, disclosure, questions: [], segments, computedAt };

  const questions = structure.sections.flatMap((section) => section.questions.map((question) => ({ section: section.key, question })));
  const idsOf = (types: QuestionView["type"][]) =>
    questions.filter(({ question }) => types.includes(question.type)).map(({ question }) => structure.questionIds.get(question.key)!);
  const counts = await viewCounts(scope, idsOf(["multiple", "matrix"]), idsOf(["number"]));

  const results = questions.map(({ section, question }) =>
    questionResult({ structure, question, section, questionId: structure.questionIds.get(question.key)!, counts, size, threshold }),
  );
  return { size, disclosure, questions: results, segments, computedAt };
}

/**
 * The whole survey's submitted responses come from the maintained counts
 * (and its drafts, when asked for, are counted and added); any narrower view
 * is counted from the answers.
 */
async function viewCounts(scope: ViewScope, multiRow: string[], numberQuestions: string[]): Promise<ViewCounts> {
  if (!isWholeSurvey(scope.filter)) return countedView(scope, multiRow, numberQuestions);
  const counts = await maintainedCounts(scope.surveyId);
  if (scope.filter.includeDrafts) addCounts(counts, await countedView({ ...scope, statuses: ["draft"] }, multiRow, numberQuestions));
  return counts;
}

/** For rule 3: how many people separate this view from each view that differs from it by some of its filters. */
async function differences(scope: ViewScope, size: number): Promise<number[]> {
  const sizeOf = (filter: ResultsFilter) => (filter === scope.filter ? size : countView({ ...scope, filter }));
  const result: number[] = [];
  for (const pair of comparableViews(scope.filter)) result.push((await sizeOf(pair.larger)) - (await sizeOf(pair.smaller)));
  return result;
}

async function filterMenus(surveyId: string, includeDrafts: boolean, threshold: number) {
  const all = await segmentValueCounts(surveyId, includeDrafts);
  const menus = {} as SurveyResults["segments"];
  for (const dimension of SEGMENT_DIMENSIONS) menus[dimension] = all[dimension].filter((entry) => entry.count >= threshold);
  return menus;
}

interface QuestionInput {
  structure: SurveyStructure;
  question: QuestionView;
  section: string;
  questionId: string;
  counts: ViewCounts;
  size: number;
  threshold: number;
}

function questionResult(input: QuestionInput): QuestionResult {
  const { structure, question, section, questionId, counts, size, threshold } = input;
  const countOf = (option: string, row?: string) => {
    const optionId = structure.optionIds.get(optionKey(question.key, "choice", option));
    const rowId = row === undefined ? null : structure.optionIds.get(optionKey(question.key, "row", row));
    return optionId === undefined || rowId === undefined ? 0 : (counts.cells.get(cellKey(questionId, rowId, optionId)) ?? 0);
  };
  const base: Omit<QuestionResult, "answered" | "noAnswer"> = {
    key: question.key,
    section,
    type: question.type,
    options: [],
    rows: [],
    number: null,
    texts: null,
  };
  const answeredGroup = (answered: number) => {
    const [shownAnswered, shownNoAnswer] = suppressCells([answered, size - answered], threshold);
    return { answered: shownAnswered!, noAnswer: shownNoAnswer! };
  };
  const otherTexts = () => (question.allowOther ? visibleCount(countOf("other"), threshold) : null);
  const respondents = counts.respondents.get(questionId) ?? 0;

  switch (question.type) {
    case "likert":
    case "single": {
      const keys = filterableChoices(question)!;
      const raw = keys.map((key) => countOf(key));
      const answered = raw.reduce((sum, count) => sum + count, 0);
      const shown = suppressCells([...raw, size - answered], threshold);
      const noAnswer = shown[keys.length]!;
      return {
        ...base,
        // The total is published: with "no answer" withheld, "answered" would give it away.
        answered: typeof noAnswer === "number" ? answered : "hidden",
        noAnswer,
        options: keys.map((key, index) => ({ key, count: shown[index]! })),
        texts: otherTexts(),
      };
    }
    case "multiple": {
      const keys = filterableChoices(question)!;
      const answered = respondents;
      // Each option splits those who answered into "picked" and "did not pick"; both halves obey the threshold.
      const options = keys.map((key) => {
        const picked = countOf(key);
        return { key, count: suppressCells([picked, answered - picked], threshold)[0]! };
      });
      return { ...base, ...answeredGroup(answered), options, texts: otherTexts() };
    }
    case "matrix": {
      const rows = question.rows.map((row) => {
        const raw = LIKERT_SCALE.map((point) => countOf(point.key, row));
        const answered = raw.reduce((sum, count) => sum + count, 0);
        const shown = suppressCells([...raw, size - answered], threshold);
        return { key: row, options: LIKERT_SCALE.map((point, index) => ({ key: point.key, count: shown[index]! })), noAnswer: shown[raw.length]! };
      });
      return { ...base, ...answeredGroup(respondents), rows };
    }
    case "text": {
      // Text answers carry no option: their rows sit in the question's option-less cell.
      const group = answeredGroup(counts.cells.get(cellKey(questionId, null, null)) ?? 0);
      return { ...base, ...group, texts: typeof group.answered === "number" ? group.answered : null };
    }
    case "number": {
      const summary = numberSummary(counts.numbers.get(questionId) ?? new Map());
      const group = answeredGroup(summary.count);
      if (summary.count < threshold || summary.low === null || summary.high === null) return { ...base, ...group };
      const edges = bucketEdges(summary.low, summary.high, question.integer ?? false);
      const buckets = mergeSparseTails(edges, numberBuckets(summary.values, edges), threshold);
      // The ranges and "no answer" are one distribution of the view's total, as a choice question's options are:
      // ranges summing to a shown "answered" would otherwise give away a withheld "no answer".
      const shown = suppressCells([...buckets.map((bucket) => bucket.count), size - summary.count], threshold);
      const noAnswer = shown[buckets.length]!;
      return {
        ...base,
        answered: typeof noAnswer === "number" ? summary.count : "hidden",
        noAnswer,
        number: { mean: summary.mean, median: summary.median, buckets: buckets.map((bucket, index) => ({ ...bucket, count: shown[index]! })) },
      };
    }
  }
}

export interface NumberSummary {
  count: number;
  mean: number | null;
  median: number | null;
  low: number | null;
  high: number | null;
  /** The distinct values in ascending order with how many gave each. */
  values: [value: number, count: number][];
}

/** Count, mean, median (the middle value, or the mean of the two middle values) and range of a number question's answers. */
export function numberSummary(histogram: ReadonlyMap<number, number>): NumberSummary {
  const values = [...histogram].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const count = values.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return { count, mean: null, median: null, low: null, high: null, values };
  const nth = (index: number) => {
    let seen = 0;
    for (const [value, n] of values) {
      seen += n;
      if (index < seen) return value;
    }
    return values[values.length - 1]![0];
  };
  const median = count % 2 === 1 ? nth((count - 1) / 2) : (nth(count / 2 - 1) + nth(count / 2)) / 2;
  const mean = values.reduce((sum, [value, n]) => sum + value * n, 0) / count;
  return { count, mean, median, low: values[0]![0], high: values[values.length - 1]![0], values };
}

/** How many answers fall into each [edges[i], edges[i + 1]) bucket; the last bucket includes its upper edge (and anything above). */
export function numberBuckets(values: readonly [number, number][], edges: readonly number[]): number[] {
  const counts = new Array<number>(Math.max(edges.length - 1, 1)).fill(0);
  const inner = edges.slice(1, -1);
  for (const [value, n] of values) {
    const index = inner.findIndex((edge) => value < edge);
    counts[index === -1 ? Math.max(edges.length - 2, 0) : index]! += n;
  }
  return counts;
}

/** About eight equal buckets with round edges (1, 2 or 5 × a power of ten) covering low..high. */
export function bucketEdges(low: number, high: number, integer: boolean): number[] {
  if (low === high) return [low, high];
  const rough = (high - low) / 8;
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  if (integer) step = Math.max(1, Math.ceil(step));
  const start = Math.floor(low / step) * step;
  const edges = [start];
  while (edges[edges.length - 1]! <= high) edges.push(edges[edges.length - 1]! + step);
  return edges;
}

/**
 * The outermost buckets hold the extreme answers, often one person each: they
 * are merged inwards into open-ended buckets ("below 20", "500 or more")
 * until each end holds at least the threshold.
 */
export function mergeSparseTails(
  edges: readonly number[],
  counts: readonly number[],
  threshold: number,
): { from: number | null; to: number | null; count: number }[] {
  const buckets: { from: number | null; to: number | null; count: number }[] = counts.map((count, index) => ({
    from: edges[index]!,
    to: edges[index + 1] ?? edges[index]!,
    count,
  }));
  while (buckets.length > 1 && buckets[0]!.count < threshold) {
    const first = buckets.shift()!;
    buckets[0] = { ...buckets[0]!, from: null, count: buckets[0]!.count + first.count };
  }
  while (buckets.length > 1 && buckets[buckets.length - 1]!.count < threshold) {
    const last = buckets.pop()!;
    const before = buckets[buckets.length - 1]!;
    buckets[buckets.length - 1] = { ...before, to: null, count: before.count + last.count };
  }
  if (buckets.length === 1) buckets[0] = { ...buckets[0]!, from: null, to: null };
  return buckets;
}
