import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { previewPage, previewStep, type PreviewRequest } from "~/features/editor/index.server";
import { SurveyPreviewFrame } from "~/features/editor/components/survey-preview";
import { can } from "~/features/staff/permissions";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { readForm } from "~/platform/forms.server";
import { detectLanguage, routeI18nBundle } from "~/platform/i18n.server";

/**
 * A version of the survey (the newest unless ?version=N) as members would
 * answer it, in any of its languages (?lang=), at phone width on request
 * (?width=phone), stepping through its conditions. Nothing is stored. The
 * page takes the preview's language, so the member's texts and the page's
 * own (buttons, hints, errors) are those members would read.
 */
export const meta: MetaFunction = () => [{ title: "Parley" }];

/** Without ?lang=, the staff member's own language when the version has it (else the survey's default). */
function previewRequest(request: Request, user: { language: string | null }): PreviewRequest & { phone: boolean } {
  const url = new URL(request.url);
  const version = Number(url.searchParams.get("version"));
  return {
    version: Number.isInteger(version) && version > 0 ? version : null,
    language: url.searchParams.get("lang") ?? detectLanguage(request, user.language),
    section: url.searchParams.get("section"),
    phone: url.searchParams.get("width") === "phone",
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.view");
  const query = previewRequest(request, user);
  const preview = await previewPage(survey, query);
  if (!preview.ok) throw data({ reason: "notFound" as const }, { status: 404 });
  return {
    ...preview,
    slug: survey.slug,
    phone: query.phone,
    // Review links are made on their own tab by those who may edit the survey.
    canShare: can(user.grants, "surveys.edit", survey.id),
    i18n: routeI18nBundle(request, preview.locale, ["staff", "respondent"]),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.view");
  const query = previewRequest(request, user);
  const preview = await previewStep(survey, await readForm(request), query);
  if (!preview.ok) throw data({ reason: preview.status === 404 ? ("notFound" as const) : ("badRequest" as const) }, { status: preview.status });
  const status = Object.keys(preview.errors).length ? 400 : 200;
  return data({ ...preview, slug: survey.slug, phone: query.phone, i18n: routeI18nBundle(request, preview.locale, ["staff", "respondent"]) }, { status });
}

export default function SurveyPreview() {
  const loaded = useLoaderData<typeof loader>();
  const stepped = useActionData<typeof action>();
  const page = stepped ?? loaded;
  const { canShare } = loaded;
  const { t } = useTranslation("staff");
  const query = (changes: Record<string, string>) =>
    `?${new URLSearchParams({ version: String(page.version.number), lang: page.locale, ...(page.phone ? { width: "phone" } : {}), ...changes }).toString()}`;

  return (
    <section aria-labelledby="preview-title" className="survey-preview">
      <h2 id="preview-title">{t("editor.preview.title")}</h2>
      <p className="notice" role="note">
        {t(page.version.draft ? "editor.preview.noteDraft" : "editor.preview.notePublished", { version: page.version.number })}
      </p>
      {canShare ? (
        <p>
          <Link to={`/staff/surveys/${loaded.slug}/review-links?version=${page.version.number}`}>
            {t("editor.preview.share", { version: page.version.number })}
          </Link>
        </p>
      ) : null}
      <Form method="get" className="filters" aria-label={t("editor.preview.options")}>
        <input type="hidden" name="version" value={page.version.number} />
        <div className="field">
          <label htmlFor="preview-lang">{t("editor.preview.language")}</label>
          <select id="preview-lang" name="lang" defaultValue={page.locale}>
            {page.languages.map((language) => (
              <option key={language.code} value={language.code} lang={language.code}>
                {language.endonym}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="choice">
            <input type="checkbox" name="width" value="phone" defaultChecked={page.phone} /> {t("editor.preview.phone")}
          </label>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button secondary">
            {t("editor.preview.show")}
          </button>
        </div>
      </Form>

      <SurveyPreviewFrame page={page} address={(language) => query({ lang: language })} phone={page.phone} />
    </section>
  );
}
