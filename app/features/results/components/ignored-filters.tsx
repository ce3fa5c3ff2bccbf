import { useTranslation } from "react-i18next";

/** What the address asked for and the page left out, with why (results and comments pages). */
export function IgnoredFilters({ ignored }: { ignored: { parameter: string; reason: string }[] }) {
  const { t } = useTranslation("staff");
  if (ignored.length === 0) return null;
  return (
    <div className="notice warning" role="status">
      <p>{t("results.ignoredTitle")}</p>
      <ul>
        {ignored.map((entry) => (
          <li key={`${entry.parameter}-${entry.reason}`}>
            <code>{entry.parameter}</code>: {t(`results.ignored.${entry.reason}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}
