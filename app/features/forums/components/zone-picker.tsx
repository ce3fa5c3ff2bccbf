import { Form } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { foldForSearch, searchWords } from "~/domain/search-text";

export type ZoneOption = { value: string; label: string };

/**
 * The time-zone picker of the public forum page: a plain GET form with a
 * <select> (city, zone name and offset in the reader's language), so it works
 * without scripts; with scripts a search box above it narrows the list as one
 * types (city, zone name, offset or IANA id) and selects the first match.
 */
export function ZonePicker({ choices, selected }: { choices: ZoneOption[]; selected: string }) {
  const { t } = useTranslation("forums");
  const [hydrated, setHydrated] = useState(false);
  const [query, setQuery] = useState("");
  const [value, setValue] = useState(selected);
  useEffect(() => setHydrated(true), []);
  useEffect(() => setValue(selected), [selected]);

  // Each choice folded once, not on every keystroke, and only in the browser: the search box exists only there.
  const folded = useMemo(
    () => (hydrated ? choices.map((choice) => ({ choice, text: foldForSearch(`${choice.label} ${choice.value}`) })) : []),
    [choices, hydrated],
  );
  const matching = (words: string[]) => folded.filter(({ text }) => words.every((word) => text.includes(word))).map(({ choice }) => choice);

  const words = searchWords(query);
  const matches = words.length ? matching(words) : choices;
  const shown = matches.some((choice) => choice.value === value) ? matches : [...choices.filter((choice) => choice.value === value), ...matches];

  function search(text: string) {
    setQuery(text);
    const typed = searchWords(text);
    const first = typed.length ? matching(typed)[0] : undefined;
    if (first) setValue(first.value);
  }

  return (
    <Form method="get" className="zone-picker">
      {hydrated ? (
        <div className="field">
          <label htmlFor="tz-search">{t("zone.search")}</label>
          <input id="tz-search" type="search" value={query} onChange={(event) => search(event.target.value)} aria-describedby="tz-matches" autoComplete="off" />
          <p id="tz-matches" className="hint" aria-live="polite">
            {words.length ? t("zone.matches", { count: matches.length }) : ""}
          </p>
        </div>
      ) : null}
      <div className="inline-form">
        <label htmlFor="tz">{t("zone.label")}</label>
        <select id="tz" name="tz" value={value} onChange={(event) => setValue(event.target.value)}>
          {shown.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary">
          {t("zone.apply")}
        </button>
      </div>
    </Form>
  );
}
