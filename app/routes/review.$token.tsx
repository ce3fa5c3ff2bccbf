import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { invalidReviewLink, openReviewLink, previewPage, previewStep, REVIEW_PAGE_HEADERS, type PreviewRequest } from "~/features/editor/index.server";
import { SurveyPreviewFrame } from "~/features/editor/components/survey-preview";
import { surveyPageHandle } from "~/features/respondent/page-handle";
import { readForm } from "~/platform/forms.server";
import { detectLanguage, routeI18nBundle } from "~/platform/i18n.server";

/**
 * A reviewer's link (features/editor/review-links.server.ts): the one version
 * it was made for, as members would answer it, in any of the version's
 * languages (?lang=), with no account. The staff preview's page and steps:
 * answers travel in the form and nothing is ever stored.
 */

/**
 * As the member pages: the survey's language buttons (inside the form, so
 * typed answers are kept) stand in for the site's switcher, and the page is
 * sent as HTML with the members' small script, not hydrated. That also keeps
 * the token out of React's route discovery requests (/__manifest?p=…).
 */
export const handle = surveyPageHandle;

export const headers = () => REVIEW_PAGE_HEADERS;

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page?.surveyTitle ?? "Parley" }, { name: "robots", content: "noindex" }];

/** Without ?lang=, the visitor's own language when the version has it (else the survey's default). */
function reviewRequest(request: Request, version: number): PreviewRequest {
  const url = new URL(request.url);
  return { version, language: url.searchParams.get("lang") ?? detectLanguage(request), section: url.searchParams.get("section") };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const link = await openReviewLink(params.token, context.clientIp);
  const preview = await previewPage(link.survey, reviewRequest(request, link.version));
  if (!preview.ok) return invalidReviewLink();
  return data(
    { ...preview, expiresAt: link.expiresAt.toISOString(), i18n: routeI18nBundle(request, preview.locale, ["respondent"]) },
    { headers: REVIEW_PAGE_HEADERS },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const link = await openReviewLink(params.token, context.clientIp);
  const preview = await previewStep(link.survey, await readForm(request), reviewRequest(request, link.version));
  if (!preview.ok && preview.status === 404) return invalidReviewLink();
  if (!preview.ok) throw data({ reason: "badRequest" as const }, { status: 400, headers: REVIEW_PAGE_HEADERS });
  const status = Object.keys(preview.errors).length ? 400 : 200;
  return data({ ...preview, i18n: routeI18nBundle(request, preview.locale, ["respondent"]) }, { status, headers: REVIEW_PAGE_HEADERS });
}

export default function ReviewLink() {
  const loaded = useLoaderData<typeof loader>();
  const stepped = useActionData<typeof action>();
  const page = stepped ?? loaded;
  const { t } = useTranslation("respondent");
  return (
    <div className="survey-preview review-preview">
      {/* Before the survey's own h1, the page's first words: whatever is answered below goes nowhere. */}
      <div className="notice warning" role="note" aria-labelledby="review-banner-title">
        <p id="review-banner-title">
          <strong>{t("reviewLink.banner")}</strong>
        </p>
        <p>{t(page.version.draft ? "reviewLink.versionDraft" : "reviewLink.versionPublished", { version: page.version.number })}</p>
        <p>
          {t("reviewLink.validUntil")} <LocalTime iso={loaded.expiresAt} />
        </p>
      </div>
      <SurveyPreviewFrame page={page} address={(language) => `?${new URLSearchParams({ lang: language }).toString()}`} languageButtons />
    </div>
  );
}
