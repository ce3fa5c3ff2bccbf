import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/** Opens the browser's print dialog (print or save as PDF); the print stylesheet lays the page out. Offered only with scripts. */
export function PrintButton() {
  const { t } = useTranslation("staff");
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return null;
  return (
    <button type="button" className="button secondary print-button" onClick={() => window.print()}>
      {t("results.print")}
    </button>
  );
}
