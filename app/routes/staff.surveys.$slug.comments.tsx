import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { IgnoredFilters } from "~/features/results/components/ignored-filters";
import { changeCommentTag, commentsPage, commentTagSchema, COMMENTS_PER_PAGE, MAX_TAG_LENGTH } from "~/features/results/comments-page.server";
import { detectLanguage } from "~/platform/i18n.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { safeRedirectPath } from "~/platform/safe-redirect";
import { parseForm, readForm } from "~/platform/forms.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "results.view");
  const locale = detectLanguage(request, user.language);
  return {
    ...(await commentsPage(survey, new URL(request.url), locale)),
    threshold: survey.anonymityThreshold,
    perPage: COMMENTS_PER_PAGE,
    maxTag: MAX_TAG_LENGTH,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "results.view");
  const form = await readForm(request);
  const parsed = parseForm(commentTagSchema, form);
  const result = parsed.ok ? await changeCommentTag(survey.id, user.id, parsed.values) : ({ ok: false, error: "invalidTag" } as const);
  if (!result.ok) return data({ error: result.error }, { status: result.error === "notFound" ? 404 : 400 });
  // Back to the same page of the same list (a path under this survey only).
  const back = safeRedirectPath(String(form.get("back") ?? ""), `/staff/surveys/${survey.slug}/comments`);
  return redirect(back.startsWith(`/staff/surveys/${survey.slug}/comments`) ? back : `/staff/surveys/${survey.slug}/comments`, 303);
}

type CommentEntry = ReturnType<typeof useLoaderData<typeof loader>>["comments"][number];

export default function Comments() {
  const { questions, question, search, tag, page, filterQuery, ignored, disclosure, total, comments, tags, threshold, perPage, maxTag } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("staff");
  const location = useLocation();
  const base = `/staff/surveys/${useParams().slug ?? ""}`;
  const number = new Intl.NumberFormat(i18n.language);
  const back = `${location.pathname}${location.search}`;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const pageLink = (target: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(target));
    return `?${params.toString()}`;
  };
  const keptFilters = [...new URLSearchParams(filterQuery)];
  const resultsLink = `${base}/results${filterQuery ? `?${filterQuery}` : ""}`;
  // Without a chosen question the comments come question by question: one group per question on this page.
  const groups: { key: string; label: string; comments: CommentEntry[] }[] = [];
  for (const comment of comments) {
    const last = groups[groups.length - 1];
    if (last?.key === comment.question) last.comments.push(comment);
    else
      groups.push({ key: comment.question, label: questions.find((entry) => entry.key === comment.question)?.label ?? comment.question, comments: [comment] });
  }

  return (
    <section aria-labelledby="comments-title">
      <h2 id="comments-title">{t("comments.title")}</h2>
      <p>
        <Link to={resultsLink}>{t("comments.backToResults")}</Link>
      </p>
      {keptFilters.length > 0 ? <p className="hint">{t("comments.filtered")}</p> : null}
      <IgnoredFilters ignored={ignored} />
      {actionData?.error ? (
        <div className="notice error" role="alert">
          <p>{t(`comments.errors.${actionData.error}`, { max: maxTag })}</p>
        </div>
      ) : null}

      <Form method="get" className="comment-search">
        {keptFilters.map(([name, value], index) => (
          <input type="hidden" name={name} value={value} key={`${name}-${index}`} />
        ))}
        <label>
          {t("comments.question")}
          <select name="question" defaultValue={question?.key ?? ""}>
            <option value="">{t("comments.allQuestions")}</option>
            {questions.map((entry) => (
              <option key={entry.key} value={entry.key}>
                {entry.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("comments.search")}
          <input type="search" name="search" defaultValue={search} maxLength={200} />
        </label>
        {tags.length > 0 ? (
          <label>
            {t("comments.tagFilter")}
            <select name="tag" defaultValue={tag}>
              <option value="">{t("comments.allTags")}</option>
              {tags.map((entry) => (
                <option key={entry} value={entry}>
                  {entry}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="submit" className="button">
          {t("comments.show")}
        </button>
      </Form>

      {disclosure !== "shown" ? (
        <div className="notice" role="note">
          <p>{t("comments.hidden", { threshold })}</p>
        </div>
      ) : (
        <>
          <h3>{question ? <bdi>{question.label}</bdi> : t("comments.allQuestions")}</h3>
          <p role="status">{t("comments.count", { count: total, value: number.format(total) })}</p>
          {total === 0 ? <p>{t("comments.empty")}</p> : null}
          {question ? (
            <CommentList comments={comments} back={back} maxTag={maxTag} />
          ) : (
            groups.map((group) => (
              <section key={group.key} aria-labelledby={`comments-${group.key}`} className="comment-group">
                <h4 id={`comments-${group.key}`}>
                  <bdi>{group.label}</bdi>
                </h4>
                <CommentList comments={group.comments} back={back} maxTag={maxTag} />
              </section>
            ))
          )}
          <datalist id="comment-tags">
            {tags.map((entry) => (
              <option key={entry} value={entry} />
            ))}
          </datalist>
          {pages > 1 ? (
            <nav aria-label={t("comments.pagesLabel")} className="pager">
              {page > 1 ? <Link to={pageLink(page - 1)}>{t("comments.previous")}</Link> : null}{" "}
              <span>{t("comments.pageOf", { page: number.format(page), pages: number.format(pages) })}</span>{" "}
              {page < pages ? <Link to={pageLink(page + 1)}>{t("comments.next")}</Link> : null}
            </nav>
          ) : null}
        </>
      )}
    </section>
  );
}

/**
 * Comments with their tags, each tag a small form of its own (remove) and one
 * more form to add a tag. A form may not sit inside a paragraph: the browser
 * would close the paragraph before it and the page would not hydrate.
 */
function CommentList({ comments, back, maxTag }: { comments: CommentEntry[]; back: string; maxTag: number }) {
  const { t } = useTranslation("staff");
  return (
    <ol className="comments">
      {comments.map((comment) => (
        <li key={comment.id} className="comment">
          <div className="comment-meta">
            <span lang={comment.language}>{comment.languageName}</span>
            {comment.tags.length > 0 ? (
              <ul className="tags">
                {comment.tags.map((entry) => (
                  <li key={entry}>
                    <Form method="post" className="tag">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="answerId" value={comment.id} />
                      <input type="hidden" name="tag" value={entry} />
                      <input type="hidden" name="back" value={back} />
                      <span>{entry}</span>{" "}
                      <button type="submit" className="link-button" aria-label={t("comments.removeTag", { tag: entry })}>
                        ×
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <blockquote lang={comment.language} dir="auto">
            {comment.text}
          </blockquote>
          <Form method="post" className="add-tag">
            <input type="hidden" name="intent" value="add" />
            <input type="hidden" name="answerId" value={comment.id} />
            <input type="hidden" name="back" value={back} />
            <label>
              <span className="visually-hidden">{t("comments.tagLabel")}</span>
              <input type="text" name="tag" maxLength={maxTag} required placeholder={t("comments.tagPlaceholder")} list="comment-tags" />
            </label>{" "}
            <button type="submit" className="button secondary">
              {t("comments.addTag")}
            </button>
          </Form>
        </li>
      ))}
    </ol>
  );
}
