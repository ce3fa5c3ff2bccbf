// Which translations are outdated after an English change: the fingerprints a
// new version carries forward from the version it was made from (no database).
import { describe, expect, it } from "vitest";
import { carryFingerprints, outdatedKeys, textFingerprint } from "~/models/survey-version.server";

const texts = (english: Record<string, string>, french: Record<string, string>) => JSON.stringify({ en: english, fr: french });

function version(english: Record<string, string>, french: Record<string, string>, base: { texts: string; sourceHashes: string } | null, confirmed = {}) {
  const content = texts(english, french);
  return { texts: content, sourceHashes: JSON.stringify(carryFingerprints(content, base, confirmed)) };
}

describe("translation fingerprints", () => {
  const first = version({ title: "Survey", description: "About" }, { title: "Enquête", description: "À propos" }, null);

  it("counts texts seen for the first time (an import) as made from today's English", () => {
    expect(JSON.parse(first.sourceHashes)).toEqual({ fr: { title: textFingerprint("Survey"), description: textFingerprint("About") } });
    expect(outdatedKeys(first.texts, first.sourceHashes)).toEqual({});
  });

  it("marks an unchanged translation outdated when its English changes, and only that one", () => {
    const second = version({ title: "Survey 2026", description: "About" }, { title: "Enquête", description: "À propos" }, first);
    expect(outdatedKeys(second.texts, second.sourceHashes)).toEqual({ fr: ["title"] });
    // Still outdated in the next version if nobody touches it.
    const third = version({ title: "Survey 2026", description: "About us" }, { title: "Enquête", description: "À propos" }, second);
    expect(outdatedKeys(third.texts, third.sourceHashes).fr!.sort()).toEqual(["description", "title"]);
  });

  it("takes a changed translation, or one confirmed, as made from today's English", () => {
    const second = version({ title: "Survey 2026", description: "About" }, { title: "Enquête", description: "À propos" }, first);
    const fixed = version({ title: "Survey 2026", description: "About" }, { title: "Enquête 2026", description: "À propos" }, second);
    expect(outdatedKeys(fixed.texts, fixed.sourceHashes)).toEqual({});
    const confirmed = version({ title: "Survey 2026", description: "About" }, { title: "Enquête", description: "À propos" }, second, { fr: ["title"] });
    expect(outdatedKeys(confirmed.texts, confirmed.sourceHashes)).toEqual({});
  });

  it("judges a version without fingerprints (older than them) by the English it first appears with", () => {
    const legacy = { texts: texts({ title: "Survey" }, { title: "Enquête" }), sourceHashes: "{}" };
    const next = version({ title: "Survey 2026" }, { title: "Enquête" }, legacy);
    expect(outdatedKeys(next.texts, next.sourceHashes)).toEqual({ fr: ["title"] });
  });

  it("ignores translations of keys English no longer has, and tolerates malformed columns", () => {
    const gone = version({ title: "Survey" }, { title: "Enquête", removed: "Supprimé" }, first);
    expect(JSON.parse(gone.sourceHashes).fr.removed).toBeUndefined();
    expect(outdatedKeys("not json", "{")).toEqual({});
  });
});
