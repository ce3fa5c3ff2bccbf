// The survey pages' only script. They are sent as finished HTML and never
// hydrated (no React in the member's browser: most members answer on a phone,
// many on slow connections), and everything works without this file; with it:
// conditional questions appear as answers change, text boxes are saved as a
// draft when typing pauses, "choose up to N" counts down, the error summary
// takes focus, and the browser's time zone is remembered for later pages.
// Plain JavaScript, served as it is written: keep it small.

/** Long enough not to post on every keystroke, short enough that a closed tab loses little. */
const AUTOSAVE_DELAY_MS = 1500;

// Marks the page as enhanced (styles and tests can tell a scripted page from a plain one).
document.documentElement.dataset.enhanced = "";
rememberTimeZone();
focusProblems();
const form = document.querySelector("form.survey-form");
if (form instanceof HTMLFormElement) {
  showConditionalQuestions(form);
  countChoicesLeft(form);
  autosaveTexts(form);
}

function rememberTimeZone() {
  if (/(?:^|;\s*)tz=/.test(document.cookie)) return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) document.cookie = `tz=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/** After a refused save the page comes back with its problems at the top: move there so nobody misses them (WCAG 3.3.1). */
function focusProblems() {
  const summary = document.querySelector(".error-summary");
  if (summary instanceof HTMLElement) summary.focus();
}

/** Without scripts the server decides on each save (see the section action); this only shows it sooner. */
function showConditionalQuestions(form) {
  const update = () => {
    const data = new FormData(form);
    for (const element of form.querySelectorAll("[data-show-if]")) {
      const condition = JSON.parse(element.dataset.showIf || "null");
      // A condition on an earlier page keeps the server's decision.
      if (!condition || !form.querySelector(`[name="q.${condition.question}"]`)) continue;
      const chosen = data.getAll(`q.${condition.question}`).map(String);
      element.hidden = !condition.anyOf.some((key) => chosen.includes(key));
    }
    const shown = [...form.querySelectorAll(".question")].filter((element) => !element.hidden).map((element) => element.id);
    const shownInput = form.querySelector('input[name="shown"]');
    if (shownInput) shownInput.value = shown.join(",");
  };
  form.addEventListener("change", update);
  update();
}

/** Texts come with the page (data-texts: [n left…], full, over), already in the member's language and plural forms. */
function countChoicesLeft(form) {
  for (const counter of form.querySelectorAll(".choices-left[data-texts]")) {
    const texts = JSON.parse(counter.dataset.texts);
    const question = document.getElementById(counter.dataset.question);
    if (!question) continue;
    const update = () => {
      const left = texts.limit - question.querySelectorAll('input[type="checkbox"]:checked').length;
      counter.textContent = left > 0 ? texts.left[left - 1] : left === 0 ? texts.full : texts.over;
      counter.classList.toggle("over", left < 0);
    };
    question.addEventListener("change", update);
    update();
  }
}

/** What is typed into a text box is saved as a draft through the section's own action (intent=autosave). */
function autosaveTexts(form) {
  const status = form.querySelector(".autosave-status");
  let timer;
  const save = async () => {
    const data = new FormData(form);
    data.set("intent", "autosave");
    try {
      // Remix answers `<path>.data` with the action's result instead of a page.
      const response = await fetch(`${location.pathname}.data${location.search}`, { method: "POST", body: data, credentials: "same-origin" });
      if (!response.ok || !status) return;
      const time = new Intl.DateTimeFormat(document.documentElement.lang, { hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(new Date());
      status.textContent = `${status.dataset.saved} ${time}`;
    } catch {
      // Offline: Next or Save will send the text with the page.
    }
  };
  form.addEventListener("input", (event) => {
    if (!(event.target instanceof HTMLTextAreaElement)) return;
    clearTimeout(timer);
    timer = setTimeout(save, AUTOSAVE_DELAY_MS);
  });
  // Next, Back and the language buttons send the page themselves.
  form.addEventListener("submit", () => clearTimeout(timer));
}
