import { js2xliff, jsToXliff12, xliff12ToJs, xliff2js, type XliffDocument, type XliffUnit } from "xliff";
import { js2xml, xml2js, type Element } from "xml-js";
import { parseTexts, surveyContent } from "~/features/surveys/index.server";
import { flattenKeys, judgeUpload, unflattenKeys, REFERENCE_LANGUAGE, type LocaleProblem } from "~/features/translations/locale-check";
import { definitionOf, layout } from "~/features/translations/survey-editor.server";
import { findLatestVersion, outdatedKeys, saveVersionOnto } from "~/models/survey-version.server";
import { recordAudit } from "~/platform/audit.server";

/**
 * XLIFF 2.0 and 1.2 files of a survey's texts in one language, for the tools
 * translators already use (Trados, memoQ, Phrase, OmegaT). Unit ids are the
 * text keys; notes give each text's kind, section and question. Importing
 * goes through the editor's checks and writes only that language's texts:
 * the structure never changes from a translation file.
 */

export type XliffVersion = "2.0" | "1.2";
/** Survey texts files are a few hundred KB at most. */
export const MAX_XLIFF_BYTES = 2 * 1024 * 1024;

type Survey = { id: string; slug: string };

function text(tree: unknown, path: string): string {
  let node: unknown = tree;
  for (const part of path.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === "string" ? node : "";
}

export async function exportXliff(survey: Survey, language: string, version: XliffVersion): Promise<{ fileName: string; body: string } | null> {
  const latest = await findLatestVersion(survey.id);
  const definition = latest && definitionOf(latest);
  if (!latest || !definition) return null;
  const trees = parseTexts(latest.texts);
  const english = trees[REFERENCE_LANGUAGE] ?? {};
  const own = trees[language] ?? {};
  const stale = new Set(outdatedKeys(latest.texts, latest.sourceHashes)[language] ?? []);
  const questions = new Map(
    definition.sections.flatMap((section) => section.questions.map((question) => [question.key, { section: section.key, type: question.type }] as const)),
  );
  const units: Record<string, XliffUnit> = {};
  for (const entry of layout(definition)) {
    const source = text(english, entry.key);
    if (source === "") continue;
    const notes = [`kind: ${entry.kind}${entry.required ? "" : " (optional)"}`];
    if (entry.sectionKey !== "survey") notes.push(`section: ${text(english, `sections.${entry.sectionKey}.title`) || entry.sectionKey}`);
    if (entry.questionKey) {
      const question = questions.get(entry.questionKey)!;
      notes.push(`question (${question.type}): ${text(english, `questions.${entry.questionKey}.label`)}`);
    }
    if (stale.has(entry.key)) notes.push("outdated: the English text changed after this translation was made");
    const target = text(own, entry.key);
    units[entry.key] = target === "" ? { source, note: notes } : { source, target, note: notes };
  }
  const document: XliffDocument = { resources: { [`survey.${survey.slug}`]: units }, sourceLanguage: REFERENCE_LANGUAGE, targetLanguage: language };
  const generated = version === "2.0" ? await js2xliff(document) : await jsToXliff12(document);
  const body = withStates(generated, version, stale);
  return { fileName: `${survey.slug}.${language}${version === "1.2" ? ".xliff12" : ""}.xlf`, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n` };
}

/**
 * Adds each text's state, which the xliff package does not write, so a
 * translation tool shows what is left: XLIFF 2.0 `state` on the segment
 * (initial without a target; initial with subState parley:outdated for an
 * outdated one; translated), XLIFF 1.2 `state` on the target
 * (needs-review-translation when outdated, translated).
 */
function withStates(xml: string, version: XliffVersion, outdated: ReadonlySet<string>): string {
  const root = xml2js(xml, { compact: false }) as Element;
  const children = (element: Element | undefined, name: string) => (element?.elements ?? []).filter((child) => child.name === name);
  for (const file of children(children(root, "xliff")[0], "file")) {
    const units = version === "2.0" ? children(file, "unit") : children(children(file, "body")[0], "trans-unit");
    for (const unit of units) {
      const key = String(unit.attributes?.id ?? "");
      const stale = outdated.has(key);
      if (version === "2.0") {
        const segment = children(unit, "segment")[0];
        if (!segment) continue;
        const translated = children(segment, "target").length > 0;
        segment.attributes = translated && stale ? { state: "initial", subState: "parley:outdated" } : { state: translated ? "translated" : "initial" };
      } else {
        const target = children(unit, "target")[0];
        if (target) target.attributes = { state: stale ? "needs-review-translation" : "translated" };
      }
    }
  }
  return js2xml(root, { spaces: 2 });
}

export type XliffImportOutcome =
  | { ok: true; version: number; published: boolean; translated: number }
  | {
      ok: false;
      status: 400 | 404 | 409 | 413;
      reason: "notXliff" | "wrongLanguage" | "wrongFile" | "problems" | "conflict" | "noVersion" | "tooLarge" | "fields";
      problems?: LocaleProblem[];
    };

async function parseXliff(body: string): Promise<XliffDocument | null> {
  try {
    const document = /urn:oasis:names:tc:xliff:document:1\.2|version\s*=\s*["']1\.2["']/.test(body) ? await xliff12ToJs(body) : await xliff2js(body);
    return document && typeof document === "object" && document.resources && typeof document.resources === "object" ? document : null;
  } catch {
    return null;
  }
}

/**
 * Reads a translated XLIFF file (2.0 or 1.2) into the survey's next version.
 * Refused as a whole, storing nothing, when it is not XLIFF, is for another
 * language or survey, has ids that are not the survey's text keys, targets
 * with markup (inline elements), or texts that fail the check's rules.
 */
export async function importXliff(survey: Survey, language: string, upload: Blob, staffUserId: string): Promise<XliffImportOutcome> {
  if (upload.size > MAX_XLIFF_BYTES) return { ok: false, status: 413, reason: "tooLarge" };
  let body: string;
  try {
    body = new TextDecoder("utf-8", { fatal: true }).decode(await upload.arrayBuffer());
  } catch {
    return { ok: false, status: 400, reason: "notXliff" };
  }
  const document = await parseXliff(body.replace(/^\uFEFF/, ""));
  if (!document) return { ok: false, status: 400, reason: "notXliff" };
  if (document.targetLanguage && document.targetLanguage !== language) return { ok: false, status: 400, reason: "wrongLanguage" };
  const namespace = `survey.${survey.slug}`;
  const files = Object.keys(document.resources);
  if (files.length !== 1 || files[0] !== namespace) return { ok: false, status: 400, reason: "wrongFile" };

  const latest = await findLatestVersion(survey.id);
  const definition = latest && definitionOf(latest);
  if (!latest || !definition) return { ok: false, status: 404, reason: "noVersion" };
  const trees = parseTexts(latest.texts);
  const english = trees[REFERENCE_LANGUAGE] ?? {};
  const known = new Set(
    layout(definition)
      .map((entry) => entry.key)
      .filter((key) => text(english, key) !== ""),
  );
  const problems: LocaleProblem[] = [];
  const flat = Object.fromEntries(flattenKeys(trees[language] ?? {}));
  let translated = 0;
  for (const [key, unit] of Object.entries(document.resources[namespace]!)) {
    if (!known.has(key)) {
      problems.push({ language, namespace, key, kind: "extra-key", severity: "error", message: "Unknown id: not a text of this survey" });
      continue;
    }
    if (unit.target === undefined) continue;
    // Inline elements (<pc>, <g>, <ph>…) come back as objects: survey texts are plain text.
    if (typeof unit.target !== "string") {
      problems.push({ language, namespace, key, kind: "html", severity: "error", message: "Contains markup; texts are plain text" });
      continue;
    }
    const value = unit.target.trim();
    if (value === "") continue;
    flat[key] = value;
    translated++;
  }
  if (problems.length > 0) return { ok: false, status: 400, reason: "problems", problems };
  const tree = unflattenKeys(flat);
  const verdict = judgeUpload(language, namespace, english, JSON.stringify(tree));
  if (!verdict.accepted) return { ok: false, status: 400, reason: "problems", problems: verdict.problems };
  const published = latest.publishedAt !== null;
  const outcome = await saveVersionOnto(survey.id, latest.number, surveyContent(latest.definition, { ...trees, [language]: verdict.data }), {
    publish: published,
    createdById: staffUserId,
    note: `translations: ${language} (XLIFF)`,
  });
  if (!outcome.ok) return { ok: false, status: 409, reason: "conflict" };
  await recordAudit({
    staffUserId,
    action: "translations.xliff",
    subject: `${language}/${namespace}`,
    detail: { version: outcome.number, published, translated },
  });
  return { ok: true, version: outcome.number, published, translated };
}
