import { describe, expect, it } from "vitest";
import { applyEdit, estimateMinutes, keyFromTitle, type Draft, type EditContext } from "../../app/features/editor/edit";

function draft(): Draft {
  return {
    definition: {
      slug: "demo",
      mode: "confidential",
      opensAt: "2026-06-22T00:00:00Z",
      closesAt: "2026-07-14T23:59:59Z",
      defaultLanguage: "en",
      sections: [
        {
          key: "about",
          questions: [
            { key: "role", type: "single", options: ["chair", "member"] },
            { key: "why", type: "text" },
          ],
        },
      ],
    },
    texts: {
      en: {
        title: "Demo",
        description: "A demo",
        sections: { about: { title: "About" } },
        questions: { role: { label: "Role", options: { chair: "Chair", member: "Member" } }, why: { label: "Why?" } },
      },
      fr: { title: "Démo", questions: { role: { label: "Rôle" } } },
    },
  };
}

const context: EditContext = { answered: new Set(["role"]), toUtc: (local) => new Date(`${local}:00Z`) };

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) data.append(name, one);
  return data;
}

describe("editor changes", () => {
  it("makes keys from English titles: ASCII, starting with a letter, unique, with a fallback for scripts without Latin letters", () => {
    expect(keyFromTitle("Café & Outreach!", new Set(), "section")).toBe("cafe_outreach");
    expect(keyFromTitle("2027 budget", new Set(), "question")).toBe("budget");
    expect(keyFromTitle("Role", new Set(["role", "role_2"]), "question")).toBe("role_3");
    expect(keyFromTitle("预算", new Set(), "question")).toBe("question");
    expect(keyFromTitle("x".repeat(100), new Set(), "q")).toHaveLength(40);
  });

  it("estimates the time from the questions members see", () => {
    const definition = draft().definition;
    expect(estimateMinutes(definition)).toBe(2);
    definition.sections[0]!.questions[1]!.retired = true;
    expect(estimateMinutes(definition)).toBe(1);
  });

  it("keeps other languages' texts when English changes, and leaves the draft it was given alone", () => {
    const before = draft();
    const result = applyEdit(
      before,
      form({ intent: "editQuestion", question: "role", title: "Your role", "option.chair": "Chair", "option.member": "Member" }),
      context,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect((result.draft.texts.en!.questions as Record<string, { label: string }>).role!.label).toBe("Your role");
    expect(result.draft.texts.fr).toEqual(before.texts.fr);
    expect((before.texts.en!.questions as Record<string, { label: string }>).role!.label).toBe("Role");
  });

  it("refuses removing an answered question or the last of a section, and a condition on a later question", () => {
    expect(applyEdit(draft(), form({ intent: "removeQuestion", question: "role" }), context)).toEqual({
      ok: false,
      errors: { form: ["editor.edit.errors.questionAnswered"] },
    });
    const removed = applyEdit(draft(), form({ intent: "removeQuestion", question: "why" }), context);
    expect(removed.ok).toBe(true);
    if (removed.ok) {
      expect(removed.draft.definition.sections[0]!.questions.map((q) => q.key)).toEqual(["role"]);
      expect((removed.draft.texts.en!.questions as Record<string, unknown>).why).toBeUndefined();
    }
    expect(applyEdit(draft(), form({ intent: "editQuestion", question: "role", title: "Role", condition: "why:x" }), context)).toEqual({
      ok: false,
      errors: { condition: ["editor.edit.errors.condition"] },
    });
  });

  it("passes the result through the definition schema", () => {
    // Retiring the question another one depends on is refused by the schema, with its own words.
    const conditioned = draft();
    conditioned.definition.sections[0]!.questions[1]!.showIf = { question: "role", anyOf: ["chair"] };
    const result = applyEdit(conditioned, form({ intent: "retireQuestion", question: "role" }), context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.form!.join()).toContain('"role" is retired');
  });

  it("reads settings in the staff member's zone and checks them", () => {
    const result = applyEdit(
      draft(),
      form({
        intent: "settings",
        title: "Demo",
        description: "A demo",
        mode: "anonymous",
        anonymityThreshold: "1",
        opensAt: "2026-07-01T10:00",
        closesAt: "2026-06-01T10:00",
      }),
      context,
    );
    expect(result).toEqual({ ok: false, errors: { anonymityThreshold: ["editor.edit.errors.threshold"], closesAt: ["editor.edit.errors.closesBeforeOpens"] } });
  });
});
