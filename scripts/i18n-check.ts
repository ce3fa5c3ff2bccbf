/**
 * npm run i18n:check [-- --json] [--dir <path>] [--lang <code>]
 *
 * Checks every locales/<lng>/ folder against English. Exit codes: 0 when every
 * language marked complete in locales/languages.json has no errors (warnings
 * never fail), 1 when one has, 2 for a usage or setup problem.
 */
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

const USAGE = "Usage: npm run i18n:check -- [--json] [--dir <locales folder>] [--lang <code>]";

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
  const header = ["lang", "namespace", "done", "missing", "extra", "placeh.", "plurals", "empty", "untransl.?", "other", "words left"];
  const rows = report.languages.flatMap((language) =>
    language.files.map((file: FileReport) => [
      `${language.language}${language.complete ? "*" : ""}`,
      file.namespace,
      `${file.percent}%`,
      ...[file.missing, file.extra, file.placeholders, file.plurals, file.empty, file.untranslated, file.other, file.wordsLeft].map(String),
    ]),
  );
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
  // Text columns left-aligned, numbers right-aligned; padding is measured before colouring.
  const format = (row: string[], style: (cell: string, index: number) => string) =>
    row.map((cell, index) => style(index < 2 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!), index)).join("  ");
  const countStyle = (cell: string, index: number) => {
    if (index < 3) return cell;
    if (cell.trim() === "0") return dim(cell);
    // untransl.? is a warning column; words left is information.
    return index === 8 ? yellow(cell) : index === 10 ? cell : red(cell);
  };
  return [format(header, (cell) => bold(cell)), ...rows.map((row) => format(row, countStyle))].join("\n");
}

function details(problems: LocaleProblem[], dir: string): string[] {
  const lines: string[] = [];
  let currentFile = "";
  for (const problem of problems) {
    const file = join(dir, problem.language, `${problem.namespace}.json`);
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

function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { json: { type: "boolean" }, dir: { type: "string" }, lang: { type: "string" }, help: { type: "boolean", short: "h" } },
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

  let report: LocaleReport;
  let ignored: string[];
  try {
    const source = readLocalesDir(dir);
    ignored = source.ignored;
    report = checkLocales(source.files, { complete: source.complete, only: args.lang ? [args.lang] : undefined });
  } catch (error) {
    console.error(`i18n check: ${(error as Error).message}`);
    return 2;
  }

  if (args.json) {
    console.log(JSON.stringify({ dir, ignoredFolders: ignored, ...report }, null, 2));
    return report.ok ? 0 : 1;
  }

  const out: string[] = [table(report), dim(`* marked complete in ${join(dir, LANGUAGES_FILE)}: errors there fail the check`)];
  out.push(...details(report.problems, dir));
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
process.exitCode = main(process.argv.slice(2));
