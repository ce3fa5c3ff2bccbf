import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import type { PageHandle } from "~/features/respondent/page-handle";

export const meta: MetaFunction = () => [{ title: "Parley" }];

/** Text and links only: sent as HTML without React's scripts (see features/respondent/page-handle). */
export const handle: PageHandle = { hydrate: false };

export default function Home() {
  const { t } = useTranslation();
  return (
    <section className="panel">
      <h1>{t("home.title")}</h1>
      <p>{t("home.intro")}</p>
      <p>{t("home.linkHint")}</p>
      <p>
        <a className="button secondary" href="/staff">
          {t("home.staffLink")}
        </a>
      </p>
    </section>
  );
}
