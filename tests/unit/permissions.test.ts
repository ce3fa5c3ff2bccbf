import { describe, expect, it } from "vitest";
import {
  can,
  canManageForum,
  canTranslate,
  permissionsOf,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  surveysAllowed,
  type Grant,
} from "~/features/staff/permissions";

const everywhere = (role: Grant["role"]): Grant => ({ role, surveyId: null, language: null });
const forSurvey = (role: Grant["role"], surveyId: string): Grant => ({ role, surveyId, language: null });

describe("permissions", () => {
  it("gives administrators everything and nobody anything without a grant", () => {
    for (const permission of PERMISSIONS) {
      expect(can([everywhere("administrator")], permission, "s1")).toBe(true);
      expect(can([], permission, "s1")).toBe(false);
    }
  });

  it("keeps results viewers to aggregates: no participants, mailings, per-response exports or outbox", () => {
    const viewer = [everywhere("results_viewer")];
    expect(can(viewer, "results.view", "s1")).toBe(true);
    for (const permission of ["participants.manage", "mailings.send", "responses.export", "outbox.view", "outbox.bodies", "people.manage"] as const) {
      expect(can(viewer, permission, "s1"), permission).toBe(false);
    }
  });

  it("keeps translators to translations and forum organisers to forums", () => {
    expect(permissionsOf([everywhere("translator")])).toEqual(["translations.edit", "surveys.translate"]);
    expect(permissionsOf([everywhere("forum_organiser")])).toEqual(["forums.manage"]);
  });

  it("limits a grant for one survey to that survey", () => {
    const manager = [forSurvey("survey_manager", "s1")];
    expect(can(manager, "participants.manage", "s1")).toBe(true);
    expect(can(manager, "participants.manage", "s2")).toBe(false);
    // Without a survey: allowed somewhere, so list pages show the allowed ones.
    expect(can(manager, "surveys.view")).toBe(true);
    expect(surveysAllowed(manager, "surveys.view")).toEqual(["s1"]);
    expect(surveysAllowed([...manager, everywhere("results_viewer")], "surveys.view")).toBe("all");
  });

  it("adds up several roles", () => {
    const grants = [forSurvey("results_viewer", "s1"), everywhere("translator")];
    expect(can(grants, "results.view", "s1")).toBe(true);
    expect(can(grants, "translations.edit")).toBe(true);
    expect(can(grants, "results.view", "s2")).toBe(false);
  });

  it("names only known permissions in every role", () => {
    for (const role of ROLES) for (const permission of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(permission);
  });
});

describe("forum series", () => {
  it("are managed by survey managers of the linked survey only, and by everyone who manages forums everywhere", () => {
    const manager = [forSurvey("survey_manager", "s1")];
    expect(canManageForum(manager, "s1")).toBe(true);
    expect(canManageForum(manager, "s2")).toBe(false);
    expect(canManageForum(manager, null)).toBe(false);
    for (const role of ["administrator", "forum_organiser", "survey_manager"] as const) expect(canManageForum([everywhere(role)], "s2")).toBe(true);
    expect(canManageForum([everywhere("results_viewer"), everywhere("translator")], null)).toBe(false);
  });

  it("lets translators change only the language their grant names, survey managers every language of their surveys", () => {
    const french: Grant = { role: "translator", surveyId: null, language: "fr" };
    expect(canTranslate([french], "fr", "s1")).toBe(true);
    expect(canTranslate([french], "de", "s1")).toBe(false);
    expect(canTranslate([french], "fr")).toBe(true);
    expect(canTranslate([french], "de")).toBe(false);
    expect(canTranslate([everywhere("translator")], "de", "s1")).toBe(true);
    expect(canTranslate([forSurvey("survey_manager", "s1")], "ar", "s1")).toBe(true);
    expect(canTranslate([forSurvey("survey_manager", "s1")], "ar", "s2")).toBe(false);
    // Survey managers do not hold the interface's Translations pages.
    expect(canTranslate([everywhere("survey_manager")], "ar")).toBe(false);
    expect(canTranslate([everywhere("results_viewer")], "fr", "s1")).toBe(false);
  });
});
