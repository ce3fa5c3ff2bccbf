import type { QuestionView } from "~/domain/answers";
import { LIKERT_SCALE } from "~/domain/survey-definition";

/**
 * Results filters live in the URL (shareable, the back button works):
 *   ?region=Africa&language=fr&unit=…&country=…&q=<question>&a=<option>&a=…&drafts=1
 * Parsing never throws: a parameter that does not fit this survey is left out
 * and reported, so the page explains what it ignored instead of failing.
 */
export const SEGMENT_DIMENSIONS = ["region", "language", "unit", "country"] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

export interface AnswerFilter {
  question: string;
  /** Respondents who chose any of these. */
  options: string[];
}

export interface ResultsFilter {
  segments: Partial<Record<SegmentDimension, string>>;
  answer?: AnswerFilter;
  includeDrafts: boolean;
}

/** One way a view can be narrowed; removing any of them gives a coarser view. */
export type FilterDimension = SegmentDimension | "answer" | "drafts";

export interface IgnoredParameter {
  parameter: string;
  reason: "unknown" | "malformed" | "notAQuestion" | "notFilterable" | "notAnOption" | "repeated";
}

const MAX_VALUE_LENGTH = 200;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const KNOWN = new Set<string>([...SEGMENT_DIMENSIONS, "q", "a", "drafts", "page", "search", "tag", "question"]);

/** The answer keys a respondent can pick for a question that can filter: likert, single and multiple ("other" included). */
export function filterableChoices(question: QuestionView): string[] | undefined {
  switch (question.type) {
    case "likert":
      return LIKERT_SCALE.map((point) => point.key);
    case "single":
    case "multiple":
      return question.options;
    default:
      return undefined;
  }
}

export function parseResultsFilter(params: URLSearchParams, questions: readonly QuestionView[]): { filter: ResultsFilter; ignored: IgnoredParameter[] } {
  const ignored: IgnoredParameter[] = [];
  const filter: ResultsFilter = { segments: {}, includeDrafts: false };

  for (const name of new Set(params.keys())) {
    if (!KNOWN.has(name)) ignored.push({ parameter: name, reason: "unknown" });
  }
  for (const dimension of SEGMENT_DIMENSIONS) {
    const values = params.getAll(dimension).filter((value) => value !== "");
    if (values.length === 0) continue;
    if (values.length > 1) ignored.push({ parameter: dimension, reason: "repeated" });
    else if (values[0]!.length > MAX_VALUE_LENGTH || CONTROL.test(values[0]!)) ignored.push({ parameter: dimension, reason: "malformed" });
    else filter.segments[dimension] = values[0]!;
  }

  const questionKey = params.get("q") ?? "";
  const chosen = params.getAll("a").filter((value) => value !== "");
  if (questionKey) {
    const question = questions.find((candidate) => candidate.key === questionKey);
    const choices = question && filterableChoices(question);
    if (!question) ignored.push({ parameter: "q", reason: "notAQuestion" });
    else if (!choices) ignored.push({ parameter: "q", reason: "notFilterable" });
    else {
      const options = [...new Set(chosen)].filter((option) => choices.includes(option));
      if (options.length < new Set(chosen).size) ignored.push({ parameter: "a", reason: "notAnOption" });
      if (options.length > 0) filter.answer = { question: question.key, options: options.sort((x, y) => choices.indexOf(x) - choices.indexOf(y)) };
    }
  } else if (chosen.length > 0) {
    ignored.push({ parameter: "a", reason: "notAQuestion" });
  }

  const drafts = params.get("drafts");
  if (drafts === "1") filter.includeDrafts = true;
  else if (drafts !== null && drafts !== "" && drafts !== "0") ignored.push({ parameter: "drafts", reason: "malformed" });

  return { filter, ignored };
}

export function activeDimensions(filter: ResultsFilter): FilterDimension[] {
  const dimensions: FilterDimension[] = SEGMENT_DIMENSIONS.filter((dimension) => filter.segments[dimension] !== undefined);
  if (filter.answer) dimensions.push("answer");
  if (filter.includeDrafts) dimensions.push("drafts");
  return dimensions;
}

/** The same view with the given filters taken off. */
function without(filter: ResultsFilter, dimensions: readonly FilterDimension[]): ResultsFilter {
  const segments = { ...filter.segments };
  for (const dimension of dimensions) if (dimension in segments) delete segments[dimension as SegmentDimension];
  return {
    segments,
    answer: dimensions.includes("answer") ? undefined : filter.answer,
    includeDrafts: dimensions.includes("drafts") ? false : filter.includeDrafts,
  };
}

/**
 * Every view that differs from this one by some of its filters, paired so that
 * the larger of the two comes first. Segment and answer filters narrow a view;
 * including drafts widens it, so for that dimension the view with drafts is
 * the larger one. Subtracting any pair must not describe fewer than the
 * threshold (see anonymity.ts, rule 3).
 */
export function comparableViews(filter: ResultsFilter): { larger: ResultsFilter; smaller: ResultsFilter }[] {
  const dimensions = activeDimensions(filter);
  const pairs: { larger: ResultsFilter; smaller: ResultsFilter }[] = [];
  for (let mask = 1; mask < 1 << dimensions.length; mask++) {
    const removed = dimensions.filter((_, index) => mask & (1 << index));
    const other = without(filter, removed);
    if (!removed.includes("drafts")) pairs.push({ larger: other, smaller: filter });
    else if (removed.length === 1) pairs.push({ larger: filter, smaller: other });
    // Removing drafts together with narrowing filters compares views neither of which contains the other; no subtraction applies.
  }
  return pairs;
}

/** A stable text form, for cache keys and links. */
export function filterSearchParams(filter: ResultsFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const dimension of SEGMENT_DIMENSIONS) {
    const value = filter.segments[dimension];
    if (value !== undefined) params.set(dimension, value);
  }
  if (filter.answer) {
    params.set("q", filter.answer.question);
    for (const option of filter.answer.options) params.append("a", option);
  }
  if (filter.includeDrafts) params.set("drafts", "1");
  return params;
}
