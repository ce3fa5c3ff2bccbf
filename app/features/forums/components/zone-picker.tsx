import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { escapeHtml } from "~/platform/email-html";

/**
 * The time-zone picker of the public forum page: a plain GET form with a
 * <select> (city, zone name and offset in the reader's language), so it works
 * without scripts. Its options come as markup kept on the server
 * (zoneOptionsHtml); the reader's zone is marked selected here. The page is
 * not hydrated: its script (forum-page.js) shows the search box drawn here
 * hidden and narrows the list as one types (city, zone name, offset or IANA
 * id), saying how many zones match in the words of `matchMessages` (one per
 * plural category of the page's language). `drawnIn` is the zone the page's
 * times are shown in, which the script compares with the browser's own.
 */
export function ZonePicker({
  optionsHtml,
  selected,
  drawnIn,
  matchMessages,
}: {
  optionsHtml: string;
  selected: string;
  drawnIn: string;
  matchMessages: Record<string, string>;
}) {
  const { t } = useTranslation("forums");
  return (
    <Form method="get" className="zone-picker" data-zone-picker="" data-zone={drawnIn} data-matches={JSON.stringify(matchMessages)}>
      <div className="field" data-zone-search="" hidden>
        <label htmlFor="tz-search">{t("zone.search")}</label>
        <input id="tz-search" type="search" aria-describedby="tz-matches" autoComplete="off" />
        <p id="tz-matches" className="hint" aria-live="polite" />
      </div>
      <div className="inline-form">
        <label htmlFor="tz">{t("zone.label")}</label>
        <select id="tz" name="tz" dangerouslySetInnerHTML={{ __html: withSelected(optionsHtml, selected) }} />
        <button type="submit" className="button secondary">
          {t("zone.apply")}
        </button>
      </div>
    </Form>
  );
}

function withSelected(optionsHtml: string, value: string): string {
  const option = `<option value="${escapeHtml(value)}">`;
  return optionsHtml.replace(option, () => `<option value="${escapeHtml(value)}" selected="">`);
}
