import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { effectiveComplete, formatLocaleFile, withInterfaceOverrides } from "~/features/translations/interface-overrides";
import {
  checkLocales,
  countWords,
  judgeUpload,
  layoutLikeEnglish,
  looksUntranslated,
  parseLocaleJson,
  placeholders,
  pluralCategories,
  readLocalesDir,
  UNTRANSLATED_MARK,
  type LocaleFiles,
  type LocaleProblem,
  type LocaleReport,
} from "../../app/features/translations/locale-check";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function checkDir(name: string): LocaleReport {
  const { files, complete } = readLocalesDir(fixture(name));
  return checkLocales(files, { complete });
}

function problemsOf(report: LocaleReport, language: string, namespace = "common") {
  return report.problems
    .filter((problem) => problem.language === language && problem.namespace === namespace)
    .map(({ key, kind, severity }: LocaleProblem) => ({ key, kind, severity }));
}

/** In-memory files: { lng: { ns: data } }. */
function files(data: Record<string, Record<string, unknown>>): LocaleFiles {
  return Object.fromEntries(
    Object.entries(data).map(([language, namespaces]) => [
      language,
      Object.fromEntries(Object.entries(namespaces).map(([namespace, content]) => [namespace, { data: content }])),
    ]),
  );
}

describe("helpers", () => {
  it("turns a JSON.parse position into a line and column", () => {
    const result = parseLocaleJson('{\n  "a": "x",\n  "b": "y"\n  "c": "z"\n}');
    expect(result).toMatchObject({ error: { line: 4, column: 3 } });
    expect(parseLocaleJson('{\n  "a": ')).toMatchObject({ error: { line: 2, column: 8 } });
    expect(parseLocaleJson('\uFEFF{"a": "x"}')).toMatchObject({ error: { line: 1, column: 1 } });
    expect(parseLocaleJson('{"a": "x"}')).toEqual({ data: { a: "x" } });
  });

  it("reads placeholder names, including formatted and unescaped ones", () => {
    expect([...placeholders("{{count}} of {{ total }}, {{date, datetime}}, {{- link}}")]).toEqual(["count", "total", "date", "link"]);
  });

  it("counts words in any script, not placeholders", () => {
    expect(countWords("Try again in {{count}} minutes.")).toBe(4);
    expect(countWords("保存更改", "zh")).toBeGreaterThan(0);
  });

  it("uses the plural categories of Intl, in canonical order", () => {
    expect(pluralCategories("ar")).toEqual(["zero", "one", "two", "few", "many", "other"]);
    expect(pluralCategories("ru")).toEqual(["one", "few", "many", "other"]);
    expect(pluralCategories("zh")).toEqual(["other"]);
  });

  it("flags copied English phrases but not names, acronyms or single words", () => {
    expect(looksUntranslated("Save changes", "Save changes")).toBe(true);
    expect(looksUntranslated("Parley", "Parley")).toBe(false);
    expect(looksUntranslated("Dublin Core", "Dublin Core")).toBe(false);
    expect(looksUntranslated("OAI-PMH", "OAI-PMH")).toBe(false);
    expect(looksUntranslated("{{name}}", "{{name}}")).toBe(false);
    expect(looksUntranslated("https://example.org/help", "https://example.org/help")).toBe(false);
    expect(looksUntranslated("Änderungen speichern", "Save changes")).toBe(false);
  });
});

describe("broken fixture", () => {
  const report = checkDir("locales-broken");

  it("picks up every language folder, including a new one (pt)", () => {
    expect(report.languages.map((language) => language.language)).toEqual(["en", "ar", "de", "fr", "pt", "ru"]);
    expect(report.languages.find((language) => language.language === "pt")?.complete).toBe(false);
  });

  it("fails only for languages marked complete", () => {
    expect(report.failing).toEqual(["ar", "de", "fr"]);
    expect(report.ok).toBe(false);
  });

  it("reports missing, extra, renamed placeholder, empty and HTML in de", () => {
    expect(problemsOf(report, "de")).toEqual([
      { key: "greeting", kind: "placeholder", severity: "error" },
      { key: "intro", kind: "empty", severity: "error" },
      { key: "actions.save", kind: "html", severity: "error" },
      { key: "actions.cancel", kind: "missing-key", severity: "error" },
      { key: "actions.cancle", kind: "extra-key", severity: "warning" },
    ]);
    expect(report.problems.find((p) => p.language === "de" && p.key === "greeting")?.message).toContain("{{name}} renamed to {{nom}}");
    const common = report.languages.find((language) => language.language === "de")!.files.find((file) => file.namespace === "common")!;
    // 4 of 6 logical keys (items_one/items_other count once); "Cancel" + the 7 words of intro are left.
    expect(common).toMatchObject({ total: 6, translated: 4, percent: 66, missing: 1, extra: 1, empty: 1, wordsLeft: 8 });
  });

  it("reports a namespace file that exists only in a translation", () => {
    expect(problemsOf(report, "de", "extra")).toEqual([{ key: undefined, kind: "extra-file", severity: "error" }]);
  });

  it("reports missing Arabic plural forms; a spelled-out count and copied English are warnings", () => {
    expect(problemsOf(report, "ar")).toEqual([
      { key: "items_zero", kind: "missing-plural", severity: "error" },
      { key: "items_one", kind: "placeholder", severity: "warning" },
      { key: "items_two", kind: "missing-plural", severity: "error" },
      { key: "items_few", kind: "missing-plural", severity: "error" },
      { key: "items_many", kind: "missing-plural", severity: "error" },
      { key: "actions.save", kind: "untranslated", severity: "warning" },
    ]);
  });

  it("reports invalid JSON with its line and column", () => {
    const [problem] = report.problems.filter((p) => p.language === "fr" && p.namespace === "common");
    expect(problem).toMatchObject({ kind: "invalid-json", severity: "error", line: 5, column: 3 });
    const fr = report.languages.find((language) => language.language === "fr")!;
    expect(fr.files[0]).toMatchObject({ status: "invalid-json", missing: 6, percent: 0 });
  });

  it("reports non-string values and accepts Russian's four plural forms", () => {
    expect(problemsOf(report, "ru")).toEqual([
      { key: "intro", kind: "non-string", severity: "error" },
      { key: "actions.save", kind: "non-string", severity: "error" },
    ]);
    expect(problemsOf(report, "ru", "staff")).toEqual([{ key: undefined, kind: "missing-file", severity: "error" }]);
  });
});

describe("clean fixture", () => {
  it("passes, with only warnings for Arabic forms that spell the number out", () => {
    const report = checkDir("locales-ok");
    expect(report.ok).toBe(true);
    expect(report.problems.filter((problem) => problem.severity === "error")).toEqual([]);
    expect(report.languages.every((language) => language.percent === 100)).toBe(true);
  });
});

describe("rules on in-memory data", () => {
  const en = {
    choice_one: "First",
    choice_two: "Second",
    choice_other: "Other",
    place_ordinal_one: "{{count}}st",
    place_ordinal_two: "{{count}}nd",
    place_ordinal_few: "{{count}}rd",
    place_ordinal_other: "{{count}}th",
    n_one: "{{count}} day",
    n_other: "{{count}} days",
  };

  it("keeps option keys that only look like plurals as plain keys, and knows ordinals", () => {
    const report = checkLocales(
      files({
        en: { ns: en },
        de: {
          ns: {
            choice_one: "Erste",
            choice_two: "Zweite",
            choice_other: "Andere",
            place_ordinal_other: "{{count}}.",
            n_zero: "Keine Tage",
            n_one: "{{count}} Tag",
            n_other: "{{count}} Tage",
            n_few: "{{count}} Tage",
          },
        },
      }),
      { complete: ["de"] },
    );
    // _zero is allowed in every language (i18next uses it for count 0); _few is not a German form.
    expect(problemsOf(report, "de", "ns")).toEqual([
      { key: "n_zero", kind: "placeholder", severity: "warning" },
      { key: "n_few", kind: "extra-plural", severity: "warning" },
    ]);
    expect(report.ok).toBe(true);
  });

  it("fails a language listed as complete that has no folder", () => {
    const report = checkLocales(files({ en: { ns: { a: "Text" } } }), { complete: ["it"] });
    expect(report.failing).toEqual(["it"]);
    expect(problemsOf(report, "it", "ns")).toEqual([{ key: undefined, kind: "missing-file", severity: "error" }]);
  });

  it("does not call en-GB strings untranslated", () => {
    const report = checkLocales(files({ en: { ns: { a: "Save changes" } }, "en-GB": { ns: { a: "Save changes" } } }), { complete: [] });
    expect(report.problems).toEqual([]);
  });
});

describe("files for and from translators", () => {
  const english = {
    title: "Survey",
    nav: { next: "Next", back: "Back" },
    left_one: "{{count}} day left",
    left_other: "{{count}} days left",
    greeting: "Dear {{name}},",
  };

  it("lays a download out like English, gaps filled in English and marked, with the language's plural forms", () => {
    const own = { nav: { back: "رجوع" }, obsolete: "x", left_one: "يوم واحد متبقٍ", greeting: "" };
    const layout = layoutLikeEnglish("ar", english, own, true);
    expect(Object.keys(layout)).toEqual(["title", "nav", "left_zero", "left_one", "left_two", "left_few", "left_many", "left_other", "greeting"]);
    expect(layout.title).toBe(`${UNTRANSLATED_MARK}Survey`);
    expect(layout.nav).toEqual({ next: `${UNTRANSLATED_MARK}Next`, back: "رجوع" });
    expect(layout.obsolete).toBeUndefined();
    expect(layout.left_one).toBe("يوم واحد متبقٍ");
    for (const form of ["zero", "two", "few", "many", "other"]) expect(layout[`left_${form}`]).toBe(`${UNTRANSLATED_MARK}{{count}} days left`);
    expect(layout.greeting).toBe(`${UNTRANSLATED_MARK}Dear {{name}},`);
  });

  it("accepts a partial upload, dropping values still marked or blank, and says what is left", () => {
    const upload = { title: "Umfrage", nav: { next: `${UNTRANSLATED_MARK}Next`, back: "Zurück" }, left_one: "noch {{count}} Tag", greeting: " " };
    const verdict = judgeUpload("de", "common", english, JSON.stringify(upload));
    expect(verdict.accepted).toBe(true);
    if (!verdict.accepted) return;
    expect(verdict.data).toEqual({ title: "Umfrage", nav: { back: "Zurück" }, left_one: "noch {{count}} Tag" });
    expect(verdict.dropped).toBe(2);
    expect(verdict.report).toMatchObject({ total: 5, translated: 2, missing: 2, plurals: 1 });
  });

  it("refuses invalid JSON, HTML, broken placeholders, unknown keys and foreign plural forms, listing each", () => {
    const refused = (language: string, text: string) => {
      const verdict = judgeUpload(language, "common", english, text);
      return verdict.accepted ? [] : verdict.problems.map((problem) => `${problem.kind}:${problem.key ?? problem.line}`);
    };
    expect(refused("de", '{\n  "title": "Umfrage",\n  "nav": {\n}')).toEqual(["invalid-json:4"]);
    expect(refused("de", "[]")).toEqual(["invalid-json:undefined"]);
    expect(refused("de", JSON.stringify({ title: "<script>alert(1)</script>", greeting: "Liebe {{nom}}," }))).toEqual(["html:title", "placeholder:greeting"]);
    expect(refused("de", JSON.stringify({ title: "Umfrage", "<img src=x onerror=alert(1)>": "x", nav: "Weiter" }))).toEqual([
      "extra-key:<img src=x onerror=alert(1)>",
      "extra-key:nav",
    ]);
    expect(refused("de", JSON.stringify({ left_few: "{{count}} Tage", title: 3 }))).toEqual(["non-string:title", "extra-plural:left_few"]);
  });
});

describe("CLI", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/i18n-check.ts", ...args], { cwd: root, encoding: "utf8" });

  it("exits 1 when a language marked complete has errors, 0 when clean", () => {
    const broken = run("--dir", "tests/fixtures/locales-broken");
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain("line 5:3");
    expect(broken.stdout).not.toContain("\x1b["); // not a TTY: no colour codes
    expect(run("--dir", "tests/fixtures/locales-ok").status).toBe(0);
  }, 30_000);

  it("limits to one language and prints JSON", () => {
    // ru has errors but is not marked complete.
    const result = run("--dir", "tests/fixtures/locales-broken", "--lang", "ru", "--json");
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as LocaleReport;
    expect(report.languages.map((language) => language.language)).toEqual(["ru"]);
  }, 30_000);

  it("exits 2 on bad usage", () => {
    expect(run("--bogus").status).toBe(2);
    expect(run("--dir", "tests/fixtures/does-not-exist").status).toBe(2);
  }, 30_000);
});

describe("interface overrides", () => {
  it("replace the folder's file, may add a language, and change the shipped complete list", () => {
    const files: LocaleFiles = { en: { common: { data: { a: "A" } } }, de: { common: { data: { a: "Alt" } } } };
    withInterfaceOverrides(files, [
      { language: "de", namespace: "common", texts: '{"a": "Neu"}' },
      { language: "pt", namespace: "common", texts: '{"a": "Novo"}' },
      { language: "fr", namespace: "common", texts: "{broken" },
    ]);
    expect(files.de!.common).toEqual({ data: { a: "Neu" } });
    expect(files.pt!.common).toEqual({ data: { a: "Novo" } });
    expect("error" in files.fr!.common!).toBe(true);
    expect(
      effectiveComplete(
        ["de", "ru"],
        [
          { language: "ru", complete: false },
          { language: "pt", complete: true },
        ],
      ),
    ).toEqual(["de", "pt"]);
    expect(formatLocaleFile('{"a":"b"}')).toBe('{\n  "a": "b"\n}\n');
  });
});
