import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocaleProblemText, TranslationUploadForm, UploadRefused } from "~/features/translations/components/translation-upload";
import { requireStaff } from "~/features/staff/auth.server";
import { canTranslate } from "~/features/staff/permissions";
import { MAX_LOCALE_FILE_BYTES, namespaceDetail, receiveTranslationUpload, revertTranslation } from "~/features/translations/translations.server";
import { CLOSE_CONNECTION, readForm } from "~/platform/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.language}/${data.namespace}.json · Parley` : "Parley" }];

function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

/** A figure from the upload redirect; anything else is ignored rather than shown. */
function count(value: string | null): number | null {
  return value !== null && /^\d{1,7}$/.test(value) ? Number(value) : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, "translations.edit");
  const detail = await namespaceDetail(params.lang ?? "", params.ns ?? "");
  if (!detail) notFound();
  const url = new URL(request.url);
  const uploaded = count(url.searchParams.get("uploaded"));
  return {
    ...detail,
    // Errors first: they are what keeps a language from being complete.
    problems: [...detail.problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1)),
    overriddenAt: detail.overriddenAt?.toISOString() ?? null,
    reverted: url.searchParams.get("reverted") === "1",
    maxKilobytes: MAX_LOCALE_FILE_BYTES / 1024,
    uploaded:
      uploaded === null
        ? null
        : { translated: uploaded, total: count(url.searchParams.get("total")) ?? 0, dropped: count(url.searchParams.get("dropped")) ?? 0 },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request, "translations.edit");
  if (!(await namespaceDetail(params.lang ?? "", params.ns ?? ""))) notFound();
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    // "Revert to the shipped file": the only other form on this page.
    const form = await readForm(request);
    const language = params.lang ?? "";
    if (String(form.get("intent") ?? "") !== "revert") return data({ refusal: { reason: "fields" as const } }, { status: 400 });
    if (!canTranslate(user.grants, language)) return data({ refusal: { reason: "language" as const } }, { status: 403 });
    if (!(await revertTranslation(user.id, language, params.ns ?? ""))) return data({ refusal: { reason: "fields" as const } }, { status: 409 });
    return redirect(`/staff/translations/${language}/${params.ns ?? ""}?reverted=1`);
  }
  const outcome = await receiveTranslationUpload(request, user.id, (language) => canTranslate(user.grants, language), {
    language: params.lang ?? "",
    namespace: params.ns ?? "",
  });
  if (!outcome.ok) return data({ refusal: outcome }, { status: outcome.status, headers: outcome.status === 413 ? CLOSE_CONNECTION : undefined });
  return redirect(
    `/staff/translations/${outcome.language}/${outcome.namespace}?uploaded=${outcome.translated}&total=${outcome.total}&dropped=${outcome.dropped}`,
  );
}

export default function TranslationFile() {
  const { language, namespace, endonym, complete, file, problems, maxKilobytes, uploaded, overriddenAt, reverted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const percent = new Intl.NumberFormat(i18n.language, { style: "percent" }).format(file.percent / 100);
  const isEnglish = language === "en";
  const surveySlug = namespace.startsWith("survey.") ? namespace.slice("survey.".length) : null;
  const base = `/staff/translations/${language}/${namespace}`;
  const figures: [string, number][] = [
    ["missing", file.missing],
    ["placeholders", file.placeholders],
    ["plurals", file.plurals],
    ["outdatedFigure", file.outdated],
    ["wordsLeft", file.wordsLeft],
  ];
  return (
    <section aria-labelledby="file-title">
      <p>
        <Link to="/staff/translations">{t("translations.back")}</Link>
      </p>
      <h1 id="file-title">
        <span lang={language}>{endonym}</span> · <code dir="ltr">{namespace}.json</code>
      </h1>
      {actionData?.refusal ? <UploadRefused refusal={actionData.refusal} maxKilobytes={maxKilobytes} /> : null}
      {uploaded ? (
        <p className="notice success" role="status">
          {t("translations.uploaded", { translated: number.format(uploaded.translated), total: number.format(uploaded.total) })}{" "}
          {uploaded.dropped > 0 ? t("translations.dropped", { count: uploaded.dropped, formatted: number.format(uploaded.dropped) }) : null}
        </p>
      ) : null}
      {reverted ? (
        <p className="notice success" role="status">
          {t("translations.reverted")}
        </p>
      ) : null}
      <p>{isEnglish ? t("translations.reference") : t(complete ? "translations.markedComplete" : "translations.inProgress")}</p>
      {overriddenAt ? (
        <Form method="post" className="inline-form">
          <p>
            {t("translations.overrideNote", {
              date: new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(overriddenAt)),
            })}
          </p>
          <input type="hidden" name="intent" value="revert" />
          <button type="submit" className="button secondary">
            {t("translations.revert")}
          </button>
        </Form>
      ) : null}
      <dl className="figures">
        <div>
          <dt>{t("translations.done")}</dt>
          <dd>{percent}</dd>
        </div>
        {figures.map(([name, value]) => (
          <div key={name}>
            <dt>{t(`translations.${name}`)}</dt>
            <dd>{number.format(value)}</dd>
          </div>
        ))}
      </dl>

      {!isEnglish && surveySlug ? (
        <p>
          <Link className="button" to={`/staff/translations/surveys/${surveySlug}/${language}`}>
            {t("translations.editInBrowser")}
          </Link>
        </p>
      ) : null}

      <h2>{t("translations.downloadTitle")}</h2>
      <ul className="button-row plain-list">
        {isEnglish ? null : (
          <li>
            <a className="button" href={`${base}/download`} download>
              {t("translations.downloadOwn", { language: endonym })}
            </a>
          </li>
        )}
        <li>
          <a className="button secondary" href={`/staff/translations/en/${namespace}/download`} download>
            {t("translations.downloadEnglish")}
          </a>
        </li>
      </ul>
      {isEnglish ? null : <p className="hint">{t("translations.downloadHint")}</p>}

      <h2>{t("translations.problemsTitle")}</h2>
      {problems.length === 0 ? (
        <p>{t("translations.noProblems")}</p>
      ) : (
        <ul className="problem-list">
          {problems.map((problem, index) => (
            <li key={index} className={problem.severity}>
              <span className={`badge ${problem.severity === "error" ? "failed" : ""}`}>{t(`translations.severity.${problem.severity}`)}</span>{" "}
              <LocaleProblemText problem={problem} />
            </li>
          ))}
        </ul>
      )}

      {isEnglish ? null : (
        <>
          <h2>{t("translations.uploadTitle")}</h2>
          <p>{t("translations.uploadIntro")}</p>
          <TranslationUploadForm action={base} />
        </>
      )}
    </section>
  );
}
