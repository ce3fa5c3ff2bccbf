import { z } from "zod";
import { cleanText } from "~/domain/answers";
import { formText } from "~/platform/forms.server";
import { filterSearchParams } from "~/domain/results-filter";
import { searchWords } from "~/domain/search-text";
import { addCommentTag, commentTags, findCommentOwner, findComments, removeCommentTag } from "~/models/comments.server";
import { languageInfo } from "~/platform/i18n.server";
import { recordAudit } from "~/platform/audit.server";
import { resultLabels } from "~/features/results/labels.server";
import { filterFromUrl, allQuestions } from "~/features/results/staff-page.server";
import { surveyResults, type ResultsSurvey } from "~/features/results/counts.server";

export const COMMENTS_PER_PAGE = 20;
export const MAX_TAG_LENGTH = 40;

/**
 * The comments page: the free-text answers of one question, or of every
 * question that has them when none is chosen (listed question by question),
 * within the view of the URL's filters.
 */
export async function commentsPage(survey: ResultsSurvey & { slug: string; publishedVersion: number }, url: URL, locale: string) {
  const { structure, filter, ignored } = await filterFromUrl(survey, url);
  const labels = await resultLabels(locale, survey, structure);
  const withText = allQuestions(structure)
    .filter((question) => question.type === "text" || question.allowOther)
    .map((question) => ({ key: question.key, label: labels[question.key]!.label }));
  const questionKey = url.searchParams.get("question") ?? "";
  const question = withText.find((candidate) => candidate.key === questionKey) ?? null;
  const search = (url.searchParams.get("search") ?? "").slice(0, 200);
  const tag = (url.searchParams.get("tag") ?? "").slice(0, MAX_TAG_LENGTH);
  const requestedPage = Number(url.searchParams.get("page") ?? "1");
  const page = Number.isInteger(requestedPage) && requestedPage >= 1 && requestedPage <= 100_000 ? requestedPage : 1;

  const results = await surveyResults(survey, filter);
  const base = {
    questions: withText,
    question,
    search,
    tag,
    page,
    filterQuery: filterSearchParams(filter).toString(),
    ignored,
    disclosure: results.disclosure,
  };
  if (results.disclosure !== "shown" || withText.length === 0) return { ...base, total: 0, comments: [], tags: [] };

  const questionIds = (question ? [question] : withText).map((entry) => structure.questionIds.get(entry.key)!);
  const keyOf = new Map(withText.map((entry) => [structure.questionIds.get(entry.key)!, entry.key]));
  const scope = { surveyId: survey.id, structure, filter };
  const { total, comments } = await findComments({
    scope,
    questionIds,
    words: searchWords(search),
    tag: tag || undefined,
    offset: (page - 1) * COMMENTS_PER_PAGE,
    limit: COMMENTS_PER_PAGE,
  });
  return {
    ...base,
    total,
    comments: comments.map(({ questionId, ...comment }) => ({
      ...comment,
      question: keyOf.get(questionId)!,
      languageName: languageInfo(comment.language).endonym,
    })),
    tags: await commentTags(questionIds),
  };
}

/** A tag added to or removed from a comment; any problem is "invalidTag". */
export const commentTagSchema = z.object({
  intent: formText(z.enum(["add", "remove"])),
  answerId: formText(z.string().uuid()),
  tag: formText(
    z
      .string()
      .transform((value) => cleanText(value).replace(/\s+/g, " "))
      .pipe(z.string().min(1).max(MAX_TAG_LENGTH)),
  ),
});

export type CommentTagInput = z.output<typeof commentTagSchema>;

export type TagResult = { ok: true } | { ok: false; error: "invalidTag" | "notFound" };

/** Adds or removes a staff tag on a comment of this survey; anything else is refused. */
export async function changeCommentTag(surveyId: string, staffUserId: string, input: CommentTagInput): Promise<TagResult> {
  const owner = await findCommentOwner(input.answerId);
  if (!owner || owner.response.surveyId !== surveyId || !owner.textValue) return { ok: false, error: "notFound" };
  if (input.intent === "add") await addCommentTag(input.answerId, input.tag, staffUserId);
  else await removeCommentTag(input.answerId, input.tag);
  await recordAudit({ staffUserId, action: `comment.tag.${input.intent}`, subject: input.answerId, detail: { tag: input.tag } });
  return { ok: true };
}
