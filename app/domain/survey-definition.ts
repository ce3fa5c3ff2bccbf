import { z } from "zod";

// Labels for these keys are interface strings (common:likert.<key>), shared by
// every survey so that results stay comparable across surveys and languages.
export const LIKERT_SCALE = [
  { key: "strongly_disagree", score: 1 },
  { key: "disagree", score: 2 },
  { key: "neutral", score: 3 },
  { key: "agree", score: 4 },
  { key: "strongly_agree", score: 5 },
  { key: "no_opinion", score: null },
] as const;

export type LikertKey = (typeof LIKERT_SCALE)[number]["key"];

export const OTHER_OPTION_KEY = "other";

export const QUESTION_TYPES = ["likert", "single", "multiple", "matrix", "text", "number"] as const;

export type QuestionType = (typeof QUESTION_TYPES)[number];

export const SURVEY_MODES = ["confidential", "anonymous"] as const;

// Keys become i18n key segments and database values: no dots, no spaces, no
// case differences that a translator or a SQL collation could blur.
const keySchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "must start with a lowercase letter and contain only a-z, 0-9 and _ (max 63)");

const slugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must contain only lowercase letters, digits and single hyphens");

const utcDateTime = z.iso.datetime({ error: "must be an ISO 8601 date-time in UTC, e.g. 2026-06-22T00:00:00Z" });

const showIfSchema = z.strictObject({
  question: keySchema,
  anyOf: z.array(z.string()).min(1, "must list at least one option key"),
});

const common = {
  key: keySchema,
  required: z.boolean().default(false),
  showIf: showIfSchema.optional(),
  // A retired question takes no new answers (members no longer see it) and
  // stays in results: the way to take back an answered question without
  // deleting what members said. Absent rather than false, so that existing
  // definitions keep their hash.
  retired: z.literal(true).optional(),
};

const optionsSchema = z.array(keySchema).min(2, "must list at least two options");

const questionSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ ...common, type: z.literal("likert") }),
    z.strictObject({ ...common, type: z.literal("single"), options: optionsSchema, allowOther: z.boolean().default(false) }),
    z.strictObject({
      ...common,
      type: z.literal("multiple"),
      options: optionsSchema,
      maxSelections: z.int().min(1).optional(),
      allowOther: z.boolean().default(false),
    }),
    z.strictObject({ ...common, type: z.literal("matrix"), rows: z.array(keySchema).min(1, "must list at least one row") }),
    z.strictObject({ ...common, type: z.literal("text"), maxLength: z.int().min(1).max(10000).default(2000) }),
    z.strictObject({
      ...common,
      type: z.literal("number"),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().default(false),
    }),
  ],
  { error: `type must be one of: ${QUESTION_TYPES.join(", ")}` },
);

const sectionSchema = z.strictObject({
  key: keySchema,
  questions: z.array(questionSchema).min(1, "must contain at least one question"),
});

type Path = (string | number)[];
type ParsedQuestion = z.output<typeof questionSchema>;

/** The answer keys a condition may test: only closed questions have them. */
function choiceKeys(q: ParsedQuestion): string[] | undefined {
  switch (q.type) {
    case "likert":
      return LIKERT_SCALE.map((s) => s.key);
    case "single":
    case "multiple":
      return q.allowOther ? [...q.options, OTHER_OPTION_KEY] : q.options;
    default:
      return undefined;
  }
}

function duplicates(keys: readonly string[]): Map<number, number> {
  const firstSeen = new Map<string, number>();
  const dupes = new Map<number, number>();
  keys.forEach((k, i) => {
    const first = firstSeen.get(k);
    if (first === undefined) firstSeen.set(k, i);
    else dupes.set(i, first);
  });
  return dupes;
}

export const surveyDefinitionSchema = z
  .strictObject({
    slug: slugSchema,
    mode: z.enum(SURVEY_MODES),
    opensAt: utcDateTime,
    closesAt: utcDateTime,
    // Optional rather than defaulted so that the default can depend on mode.
    allowEditAfterSubmit: z.boolean().optional(),
    defaultLanguage: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "must be a language code such as en or pt-BR"),
    anonymityThreshold: z.int().min(2).max(100).default(5),
    estimatedMinutes: z.int().min(1).max(240).optional(),
    sections: z.array(sectionSchema).min(1, "must contain at least one section"),
  })
  .superRefine((def, ctx) => {
    const issue = (path: Path, message: string) => ctx.addIssue({ code: "custom", path, message });

    if (Date.parse(def.closesAt) <= Date.parse(def.opensAt)) {
      issue(["closesAt"], `must be after opensAt (${def.opensAt})`);
    }
    // An editable anonymous response needs a way back to it, i.e. a stored
    // link between the participant and their answers, which anonymity forbids.
    if (def.mode === "anonymous" && def.allowEditAfterSubmit === true) {
      issue(["allowEditAfterSubmit"], "must be false when mode is anonymous");
    }

    for (const [i, first] of duplicates(def.sections.map((s) => s.key))) {
      issue(["sections", i, "key"], `duplicate section key "${def.sections[i]?.key}" (also sections[${first}])`);
    }

    // Members need something to answer: the respondent pages skip retired questions and the sections they leave empty.
    if (def.sections.every((section) => section.questions.every((q) => q.retired))) {
      issue(["sections"], "must keep at least one question that is not retired");
    }

    const earlier = new Map<string, ParsedQuestion>();
    const seenAt = new Map<string, string>();
    def.sections.forEach((section, si) => {
      section.questions.forEach((q, qi) => {
        const at: Path = ["sections", si, "questions", qi];
        const firstAt = seenAt.get(q.key);
        if (firstAt !== undefined) issue([...at, "key"], `duplicate question key "${q.key}" (also ${firstAt})`);

        if ("options" in q) {
          for (const [oi, first] of duplicates(q.options)) {
            issue([...at, "options", oi], `duplicate option key "${q.options[oi]}" (also options[${first}])`);
          }
          const oi = q.options.indexOf(OTHER_OPTION_KEY);
          if (oi >= 0) issue([...at, "options", oi], `"${OTHER_OPTION_KEY}" is reserved; use allowOther instead`);
        }
        if (q.type === "multiple" && q.maxSelections !== undefined) {
          const available = q.options.length + (q.allowOther ? 1 : 0);
          if (q.maxSelections > available) issue([...at, "maxSelections"], `must not exceed the ${available} available options`);
        }
        if (q.type === "matrix") {
          for (const [ri, first] of duplicates(q.rows)) {
            issue([...at, "rows", ri], `duplicate row key "${q.rows[ri]}" (also rows[${first}])`);
          }
        }
        if (q.type === "number" && q.min !== undefined && q.max !== undefined && q.min > q.max) {
          issue([...at, "min"], `must not be greater than max (${q.max})`);
        }

        if (q.showIf) {
          const target = earlier.get(q.showIf.question);
          const allowed = target && choiceKeys(target);
          if (!target) {
            issue([...at, "showIf", "question"], `"${q.showIf.question}" is not an earlier question`);
          } else if (target.retired) {
            issue([...at, "showIf", "question"], `"${q.showIf.question}" is retired; a condition cannot depend on a question members no longer see`);
          } else if (!allowed) {
            issue([...at, "showIf", "question"], `"${q.showIf.question}" is a ${target.type} question; conditions need likert, single or multiple`);
          } else {
            q.showIf.anyOf.forEach((value, vi) => {
              if (!allowed.includes(value)) {
                issue([...at, "showIf", "anyOf", vi], `"${value}" is not an option of "${q.showIf?.question}" (expected one of: ${allowed.join(", ")})`);
              }
            });
          }
        }

        // Registered after the showIf check so a question cannot depend on itself.
        if (firstAt === undefined) {
          seenAt.set(q.key, formatPath(at));
          earlier.set(q.key, q);
        }
      });
    });
  })
  .transform((def) => ({ ...def, allowEditAfterSubmit: def.allowEditAfterSubmit ?? def.mode === "confidential" }));

export type SurveyDefinition = z.output<typeof surveyDefinitionSchema>;
export type SectionDefinition = SurveyDefinition["sections"][number];
export type QuestionDefinition = SectionDefinition["questions"][number];
export type SurveyMode = SurveyDefinition["mode"];

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, seg) => {
    if (typeof seg === "number") return `${out}[${seg}]`;
    return out ? `${out}.${String(seg)}` : String(seg);
  }, "");
}

export function parseSurveyDefinition(input: unknown, expectedSlug?: string): { ok: true; definition: SurveyDefinition } | { ok: false; errors: string[] } {
  const result = surveyDefinitionSchema.safeParse(input);
  const errors = result.success ? [] : result.error.issues.map((i) => (i.path.length ? `${formatPath(i.path)}: ${i.message}` : i.message));

  // The file name is the namespace of the survey's texts; a mismatch would
  // load one survey with another's texts.
  const slug = typeof input === "object" && input !== null && "slug" in input ? input.slug : undefined;
  if (expectedSlug !== undefined && typeof slug === "string" && slug !== expectedSlug) {
    errors.push(`slug: "${slug}" does not match the file name "${expectedSlug}"`);
  }

  if (result.success && errors.length === 0) return { ok: true, definition: result.data };
  return { ok: false, errors };
}

/** The keys a language's survey namespace must contain to count as complete. */
export function surveyTextKeys(def: SurveyDefinition): string[] {
  const keys = ["title", "description"];
  for (const section of def.sections) {
    keys.push(`sections.${section.key}.title`);
    for (const q of section.questions) {
      const base = `questions.${q.key}`;
      keys.push(`${base}.label`);
      if ("options" in q) keys.push(...q.options.map((o) => `${base}.options.${o}`));
      if (q.type === "matrix") keys.push(...q.rows.map((r) => `${base}.rows.${r}`));
    }
  }
  return keys;
}

/** Keys a translation may add; anything outside both lists is an extra key. */
export function surveyOptionalTextKeys(def: SurveyDefinition): string[] {
  const keys: string[] = [];
  for (const section of def.sections) {
    keys.push(`sections.${section.key}.intro`);
    for (const q of section.questions) {
      keys.push(`questions.${q.key}.help`);
      if ("allowOther" in q && q.allowOther) keys.push(`questions.${q.key}.otherLabel`);
    }
  }
  return keys;
}
