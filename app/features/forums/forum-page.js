// The public forum page's only script. The page is sent as finished HTML and
// not hydrated (people sign up from a link in an email, often on a phone and
// a slow connection), and everything works without this file: the zone picker
// is a GET form, the sign-up a plain POST. With it, the browser's time zone is
// remembered and the page drawn again in it, a search box above the zone list
// narrows it as one types (city, zone name, offset or IANA id) and selects the
// first match, and a refused sign-up's problems take focus.
// Plain JavaScript, served as it is written: keep it small.

const ZONE_COOKIE = "tz";

if (typeof document !== "undefined") enhanceForumPage();

export function enhanceForumPage() {
  // After a refused sign-up the page comes back with its problems listed: move there so nobody misses them (WCAG 3.3.1).
  const problems = document.querySelector(".error-summary");
  if (problems instanceof HTMLElement) problems.focus();
  const picker = document.querySelector("form[data-zone-picker]");
  if (!(picker instanceof HTMLFormElement)) return;
  if (showInRememberedZone(picker.dataset.zone ?? "UTC")) return;
  searchZones(picker);
}

/** Remembers the browser's zone (unless one was chosen before); true when the page goes to be drawn again in it. */
function showInRememberedZone(/** @type {string} */ drawnIn) {
  const cookie = document.cookie.split("; ").find((entry) => entry.startsWith(`${ZONE_COOKIE}=`));
  let zone = "";
  try {
    zone = cookie ? decodeURIComponent(cookie.slice(ZONE_COOKIE.length + 1)) : "";
  } catch {
    // A malformed cookie: replaced below.
  }
  if (!zone) {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return false;
    document.cookie = `${ZONE_COOKIE}=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax`;
  }
  if (zone === drawnIn) return false;
  // Asked once per zone and tab: a zone the server does not know is not kept, and asking again would never end.
  const asked = `${ZONE_COOKIE}-asked`;
  try {
    if (sessionStorage.getItem(asked) === zone) return false;
    sessionStorage.setItem(asked, zone);
  } catch {
    return false;
  }
  // As the picker does: the server keeps the zone and answers with the page in it, without the parameter.
  const url = new URL(window.location.href);
  url.searchParams.set(ZONE_COOKIE, zone);
  window.location.replace(url.toString());
  return true;
}

/** @param {HTMLFormElement} picker */
function searchZones(picker) {
  const field = picker.querySelector("[data-zone-search]");
  const input = picker.querySelector("input[type=search]");
  const select = picker.querySelector("select");
  const status = picker.querySelector("[aria-live]");
  if (!(field instanceof HTMLElement && input instanceof HTMLInputElement && select instanceof HTMLSelectElement && status)) return;
  /** @type {Record<string, string>} the "{{count}} zones match" message per plural category of the page's language */
  const messages = JSON.parse(picker.dataset.matches ?? "{}");
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  // Each zone folded once.
  const zones = [...select.options].map((option) => ({ option, text: foldForSearch(`${option.text} ${option.value}`) }));
  field.hidden = false;

  input.addEventListener("input", () => {
    const words = searchWords(input.value);
    const matches = words.length
      ? zones.filter(({ text }) => words.every((word) => text.includes(word))).map(({ option }) => option)
      : zones.map(({ option }) => option);
    const first = words.length ? matches[0] : undefined;
    const selected = first ?? select.selectedOptions[0];
    // The chosen zone stays in the list even when it no longer matches, so the form never sends another one unseen.
    const shown = selected && !matches.includes(selected) ? [selected, ...matches] : matches;
    select.replaceChildren(...shown);
    if (selected) selected.selected = true;
    const message = messages[plural.select(matches.length)] ?? messages.other ?? "";
    status.textContent = words.length ? message.replaceAll("{{count}}", String(matches.length)) : "";
  });
}

/**
 * The same folding as foldForSearch in app/domain/search-text.ts (a unit
 * test holds the two to the same results): accents and Arabic vowel marks
 * removed, Arabic spelling variants joined, lower case.
 * @param {string} value
 */
export function foldForSearch(value) {
  return value
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/\u0640/g, "")
    .replace(/\u0649/g, "\u064a")
    .replace(/\u0629/g, "\u0647")
    .toLowerCase()
    .normalize("NFC");
}

/** @param {string} query */
export function searchWords(query) {
  return [
    ...new Set(
      foldForSearch(query)
        .split(/\s+/u)
        .filter((word) => word.length > 0),
    ),
  ].slice(0, 10);
}
