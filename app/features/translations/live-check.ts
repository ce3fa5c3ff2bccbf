/**
 * The checks a translator sees while typing, before saving: markup and
 * placeholders, by the same patterns as locale-check.ts (which reads files
 * and cannot run in the browser). The server checks again on save.
 */
export type LiveProblem = { kind: "html" } | { kind: "placeholder"; missing: string; added: string };

const HTML_TAG = /<[a-zA-Z/]/;

function names(text: string): Set<string> {
  return new Set([...text.matchAll(/\{\{\s*-?\s*([^{}]*?)\s*\}\}/g)].map((match) => (match[1] ?? "").split(",")[0]!.trim()));
}

export function liveProblems(value: string, english: string): LiveProblem[] {
  if (value.trim() === "") return [];
  const problems: LiveProblem[] = [];
  if (HTML_TAG.test(value)) problems.push({ kind: "html" });
  const expected = names(english);
  const actual = names(value);
  const missing = [...expected].filter((name) => !actual.has(name));
  const added = [...actual].filter((name) => !expected.has(name));
  const format = (list: string[]) => list.map((name) => `{{${name}}}`).join(", ");
  if (missing.length || added.length) problems.push({ kind: "placeholder", missing: format(missing), added: format(added) });
  return problems;
}
