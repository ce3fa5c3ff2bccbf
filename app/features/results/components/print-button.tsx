import { useTranslation } from "react-i18next";

/** Opens the browser's print dialog (print or save as PDF); the print stylesheet lays the page out. Shown by the page's script (results-page.js). */
export function PrintButton() {
  const { t } = useTranslation("staff");
  return (
    <button type="button" className="button secondary print-button" data-print hidden>
      {t("results.print")}
    </button>
  );
}
