/**
 * npm run i18n:check [-- --json] [--dir <path>] [--lang <code>] [--no-db]
 *
 * Checks every locales/<lng>/ folder against English. When a database is
 * configured (DATABASE_URL, or the default SQLite file exists), survey texts
 * are read from the surveys' published versions instead, with translations
 * whose English changed since reported as outdated, and interface files
 * translated in the browser (stored as overrides of the shipped files) are
 * checked in place of the folder's, with the languages marked complete there;
 * the output names each text read from the database. --no-db reads the folder
 * only. Exit codes: 0 when every
 * language marked complete in locales/languages.json has no errors (warnings
 * never fail), 1 when one has, 2 for a usage or setup problem.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { LANGUAGE_CODE_PATTERN } from "../app/platform/i18n";
import {
  checkLocales,
  LANGUAGES_FILE,
  readLocalesDir,
  type FileReport,
  type LocaleProblem,
  type LocaleReport,
} from "../app/features/translations/locale-check";
import { withStoredSurveyTexts, type StoredSurveyTexts } from "../app/features/translations/survey-texts.server";
import {
  effectiveComplete,
  withInterfaceOverrides,
  type StoredInterfaceText,
  type StoredLanguageStatus,
} from "../app/features/translations/interface-overrides";
import { DEFAULT_DATABASE_URL } from "../app/platform/database-url";

const USAGE = "Usage: npm run i18n:check -- [--json] [--dir <locales folder>] [--lang <code>] [--no-db]";

interface StoredTexts {
  stored: StoredSurveyTexts[];
  overrides: StoredInterfaceText[];
  statuses: StoredLanguageStatus[];
}

/**
 * The surveys' published texts and the interface translations made in the
 * browser, from the database, or null when none is configured. A database
 * that cannot be read is a note, not a failure: the folder is still checked.
 */
async function storedTexts(): Promise<StoredTexts | { note: string } | null> {
  if (!process.env.DATABASE_URL && !existsSync(DEFAULT_DATABASE_URL.slice("file:".length))) return null;
  // Loaded only when needed, so the check runs without a database client at all.
  const { listPublishedTexts } = await import("../app/models/survey-version.server");
  const { listInterfaceTexts, listLanguageStatuses } = await import("../app/models/interface-text.server");
  const { disconnectDb } = await import("../app/platform/db.server");
  try {
    const stored = await listPublishedTexts();
    try {
      const [overrides, statuses] = await Promise.all([listInterfaceTexts(), listLanguageStatuses()]);
      return { stored, overrides, statuses };
    } catch (error) {
      // A database not migrated since the overrides table came: its survey texts still count.
      console.error(`Note: interface translations not read from the database (${(error as Error).message.split("\n").at(-1)}); run npm run db:migrate`);
      return { stored, overrides: [], statuses: [] };
    }
  } catch (error) {
    return { note: `texts not read from the database (${(error as Error).message.split("\n")[0]}); checking the folder only` };
  } finally {
    await disconnectDb();
  }
}

// https://no-color.org: any non-empty NO_COLOR disables colour; so does a pipe or file.
const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = paint(31);
const yellow = paint(33);
const green = paint(32);
const dim = paint(2);
const bold = paint(1);

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function table(report: LocaleReport): string {
  const header = ["lang", "namespace", "done", "missing", "extra", "placeh.", "plurals", "empty", "untransl.?", "outdated", "other", "words left"];
  const rows = report.languages.flatMap((language) =>
    language.files.map((file: FileReport) => [
      `${language.language}${language.complete ? "*" : ""}`,
      file.namespace,
      `${file.percent}%`,
      ...[file.missing, file.extra, file.placeholders, file.plurals, file.empty, file.untranslated, file.outdated, file.other, file.wordsLeft].map(String),
    ]),
  );
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
  // Text columns left-aligned, numbers right-aligned; padding is measured before colouring.
  const format = (row: string[], style: (cell: string, index: number) => string) =>
    row.map((cell, index) => style(index < 2 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!), index)).join("  ");
  const countStyle = (cell: string, index: number) => {
    if (index < 3) return cell;
    if (cell.trim() === "0") return dim(cell);
    // untransl.? and outdated are warning columns; words left is information.
    return index === 8 || index === 9 ? yellow(cell) : index === 11 ? cell : red(cell);
  };
  return [format(header, (cell) => bold(cell)), ...rows.map((row) => format(row, countStyle))].join("\n");
}

function details(problems: LocaleProblem[], dir: string, fromDatabase: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  let currentFile = "";
  for (const problem of problems) {
    const name = `${problem.language}/${problem.namespace}.json`;
    const file = fromDatabase.has(name) ? `${name} (database: translated in the browser)` : join(dir, name);
    if (file !== currentFile) {
      lines.push("", bold(file));
      currentFile = file;
    }
    const severity = problem.severity === "error" ? red("error  ") : yellow("warning");
    const where = problem.line ? `line ${problem.line}:${problem.column}` : (problem.key ?? "(file)");
    lines.push(`  ${severity}  ${where}  ${problem.message}`);
  }
  return lines;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        json: { type: "boolean" },
        dir: { type: "string" },
        lang: { type: "string" },
        "no-db": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.lang !== undefined && !LANGUAGE_CODE_PATTERN.test(args.lang)) {
    console.error(`--lang: "${args.lang}" is not a language code such as "de" or "pt-BR"\n${USAGE}`);
    return 2;
  }
  const dir = args.dir ?? process.env.LOCALES_DIR ?? "locales";

  const database = args["no-db"] ? null : await storedTexts();
  const stored = database && "stored" in database ? database : null;
  let report: LocaleReport;
  let ignored: string[];
  try {
    const source = readLocalesDir(dir);
    if (stored) {
      withInterfaceOverrides(source.files, stored.overrides);
      withStoredSurveyTexts(source.files, stored.stored);
    }
    ignored = source.ignored;
    const complete = stored ? effectiveComplete(source.complete, stored.statuses) : source.complete;
    report = checkLocales(source.files, { complete, only: args.lang ? [args.lang] : undefined });
  } catch (error) {
    console.error(`i18n check: ${(error as Error).message}`);
    return 2;
  }

  if (args.json) {
    const surveyTexts = database === null ? "files" : "stored" in database ? "database" : "files";
    const interfaceOverrides = stored ? stored.overrides.map((row) => `${row.language}/${row.namespace}.json`) : [];
    const languageMarks = stored ? stored.statuses : [];
    console.log(JSON.stringify({ dir, surveyTexts, interfaceOverrides, languageMarks, ignoredFolders: ignored, ...report }, null, 2));
    return report.ok ? 0 : 1;
  }

  const fromDatabase = new Set(stored ? stored.overrides.map((row) => `${row.language}/${row.namespace}.json`) : []);
  const marksNote = stored?.statuses.length ? ` and as marked in the browser (database)` : "";
  const out: string[] = [table(report), dim(`* marked complete in ${join(dir, LANGUAGES_FILE)}${marksNote}: errors there fail the check`)];
  out.push(...details(report.problems, dir, fromDatabase));
  if (database && "note" in database) out.push("", yellow(`Note: ${database.note}`));
  else if (stored) {
    out.push("", dim("Survey texts (survey.<slug>) read from the database's published versions."));
    if (fromDatabase.size > 0)
      out.push(`Interface files read from the database (translated in the browser, in place of ${dir}): ${[...fromDatabase].join(", ")}`);
    for (const mark of stored.statuses) out.push(`Marked ${mark.complete ? "complete" : "in progress"} in the browser (database): ${mark.language}`);
  }
  if (ignored.length) out.push("", yellow(`Ignored (not a language code like "de" or "pt-BR"): ${ignored.join(", ")}`));
  out.push("");
  for (const language of report.languages) {
    const status = language.errors === 0 ? "" : language.complete ? red(" FAILS") : dim(" (not marked complete, does not fail)");
    out.push(
      `${language.language.padEnd(6)}${String(language.percent).padStart(3)}%  ${plural(language.missing, "missing key")}, ` +
        `${plural(language.errors, "error")}, ${plural(language.warnings, "warning")}, ${plural(language.wordsLeft, "word")} left${status}`,
    );
  }
  const errors = report.languages.reduce((sum, language) => sum + language.errors, 0);
  const warnings = report.languages.reduce((sum, language) => sum + language.warnings, 0);
  const counts = `${plural(report.languages.length, "language")}, ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  out.push(
    "",
    report.ok
      ? green(`✓ i18n check passed: ${counts}; no errors in languages marked complete.`)
      : red(`✗ i18n check failed: ${counts}; errors in languages marked complete: ${report.failing.join(", ")}.`),
  );
  console.log(out.join("\n"));
  return report.ok ? 0 : 1;
}

// exitCode rather than process.exit(), so long output to a pipe is not cut off.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`i18n check: ${(error as Error).message}`);
    process.exitCode = 2;
  },
);
