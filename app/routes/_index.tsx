import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";

export const meta: MetaFunction = () => [{ title: "Parley" }];

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
