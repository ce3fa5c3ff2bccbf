/**
 * Who may do what, in one place. A staff member holds one or more grants,
 * each a role for every survey (surveyId null) or for one survey; a
 * translator's grant may name one language. Every staff loader and action
 * asks `requireStaff(request, permission, survey?)`
 * (features/staff/auth.server.ts), and ROUTE_PERMISSIONS below says what each
 * staff route asks for; the suite signs in as every role and checks each
 * route against it, so a route that is not in the table fails the suite.
 *
 * Pure: no database, no request. Shared by the server and the menus.
 */

export const ROLES = ["administrator", "survey_manager", "results_viewer", "translator", "forum_organiser"] as const;
export type Role = (typeof ROLES)[number];

export interface Grant {
  role: Role;
  /** null: every survey. */
  surveyId: string | null;
  /** Translators only; null: every language. */
  language: string | null;
}

export const PERMISSIONS = [
  /** The survey list and a survey's overview (state, response rates). */
  "surveys.view",
  /** Participants' names and emails, import, edits, per-person data. */
  "participants.manage",
  /** Invitations, reminders, link exports. */
  "mailings.send",
  /** Aggregated results and comments. */
  "results.view",
  /** Exports with one row per response. */
  "responses.export",
  /** The outbox: recipient, template and status of each message. */
  "outbox.view",
  /** The text of each message (receipts repeat answers). */
  "outbox.bodies",
  /** Survey versions: bundles in and out, publishing a draft (the survey editor); opening, closing and archiving a survey (its overview). */
  "surveys.edit",
  /** The Translations pages and survey texts. */
  "translations.edit",
  /** A survey's texts in other languages than English: the side-by-side editor and XLIFF (a translator's grant may limit the language). */
  "surveys.translate",
  /** Forum series, sessions and their registrations. */
  "forums.manage",
  /** Staff accounts, invitations, roles. */
  "people.manage",
  /** Organisation settings (two-factor policy). */
  "settings.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Permissions that are given per survey: a grant for one survey allows them for that survey only. */
const SURVEY_SCOPED: ReadonlySet<Permission> = new Set([
  "surveys.view",
  "surveys.edit",
  "participants.manage",
  "mailings.send",
  "results.view",
  "responses.export",
  "surveys.translate",
]);

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  administrator: PERMISSIONS,
  survey_manager: [
    "surveys.view",
    "surveys.edit",
    "surveys.translate",
    "participants.manage",
    "mailings.send",
    "results.view",
    "responses.export",
    "outbox.view",
    "forums.manage",
  ],
  results_viewer: ["surveys.view", "results.view"],
  translator: ["translations.edit", "surveys.translate"],
  forum_organiser: ["forums.manage"],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isSurveyScoped(permission: Permission): boolean {
  return SURVEY_SCOPED.has(permission);
}

/**
 * Whether the grants allow `permission`. For a survey-scoped permission with
 * a survey: a grant for every survey or for that one. Without a survey: a
 * grant for at least one (the page then lists only the surveys allowed).
 */
export function can(grants: readonly Grant[], permission: Permission, surveyId?: string): boolean {
  return grants.some(
    (grant) =>
      ROLE_PERMISSIONS[grant.role].includes(permission) &&
      (surveyId === undefined || !isSurveyScoped(permission) || grant.surveyId === null || grant.surveyId === surveyId),
  );
}

/**
 * Whether the grants allow changing texts in `language` (a survey's with
 * `surveyId`, or the interface's with "translations.edit"): survey managers and
 * administrators every language, a translator the language their grant names
 * (every language when it names none).
 */
export function canTranslate(grants: readonly Grant[], language: string, surveyId?: string): boolean {
  const permission: Permission = surveyId === undefined ? "translations.edit" : "surveys.translate";
  return grants.some(
    (grant) =>
      ROLE_PERMISSIONS[grant.role].includes(permission) &&
      (surveyId === undefined || grant.surveyId === null || grant.surveyId === surveyId) &&
      (grant.role !== "translator" || grant.language === null || grant.language === language),
  );
}

/** The surveys a permission is limited to, or "all". */
export function surveysAllowed(grants: readonly Grant[], permission: Permission): "all" | string[] {
  const relevant = grants.filter((grant) => ROLE_PERMISSIONS[grant.role].includes(permission));
  if (relevant.some((grant) => grant.surveyId === null || !isSurveyScoped(permission))) return "all";
  return [...new Set(relevant.map((grant) => grant.surveyId!))];
}

/** Every permission the grants allow somewhere: what the menus show. */
export function permissionsOf(grants: readonly Grant[]): Permission[] {
  return PERMISSIONS.filter((permission) => can(grants, permission));
}

/**
 * Forums are not per survey, but a series may be linked to one: a survey
 * manager of one survey manages the series linked to it; administrators,
 * forum organisers and survey managers of every survey manage them all
 * (`surveyId` null: an unlinked series, or creating a new one).
 */
export function canManageForum(grants: readonly Grant[], surveyId: string | null): boolean {
  return grants.some(
    (grant) =>
      ROLE_PERMISSIONS[grant.role].includes("forums.manage") && (grant.role !== "survey_manager" || grant.surveyId === null || grant.surveyId === surveyId),
  );
}

/**
 * What each staff route needs (route ids as Remix names them). "signedIn":
 * any active staff member (their own account, the layout). The route × role
 * test fails for a staff route missing here.
 */
export const ROUTE_PERMISSIONS: Record<string, Permission | "signedIn"> = {
  "routes/staff": "signedIn",
  "routes/staff._index": "signedIn",
  "routes/staff.surveys.$slug": "surveys.view",
  "routes/staff.surveys.$slug._index": "surveys.view",
  "routes/staff.surveys.$slug.participants._index": "participants.manage",
  "routes/staff.surveys.$slug.participants.$id": "participants.manage",
  "routes/staff.surveys.$slug.participants.$id.data": "participants.manage",
  "routes/staff.surveys.$slug.import": "participants.manage",
  "routes/staff.surveys.$slug.mailings": "mailings.send",
  "routes/staff.surveys.$slug.links": "mailings.send",
  "routes/staff.surveys.$slug.links.download": "mailings.send",
  "routes/staff.surveys.$slug.results": "results.view",
  "routes/staff.surveys.$slug.results_.chart.$question": "results.view",
  "routes/staff.surveys.$slug.comments": "results.view",
  "routes/staff.surveys.$slug.export": "results.view",
  "routes/staff.surveys.$slug.versions": "surveys.edit",
  "routes/staff.surveys.$slug.edit": "surveys.edit",
  "routes/staff.surveys.$slug.preview": "surveys.view",
  "routes/staff.surveys.$slug.review-links": "surveys.edit",
  "routes/staff.surveys.$slug.bundle": "surveys.edit",
  "routes/staff.bundles": "surveys.edit",
  "routes/staff.surveys.new": "surveys.edit",
  "routes/staff.outbox._index": "outbox.view",
  "routes/staff.outbox.$id": "outbox.view",
  "routes/staff.translations._index": "translations.edit",
  "routes/staff.translations.$lang.$ns": "translations.edit",
  "routes/staff.translations.$lang.$ns.download": "translations.edit",
  "routes/staff.translations.export": "translations.edit",
  "routes/staff.translations.surveys.$slug.$lang": "surveys.translate",
  "routes/staff.translations.surveys.$slug.$lang_.xliff": "surveys.translate",
  "routes/staff.translations.surveys.$slug.$lang_.xliff_.download": "surveys.translate",
  "routes/staff.forums._index": "forums.manage",
  "routes/staff.forums.$slug._index": "forums.manage",
  "routes/staff.forums.$slug.sessions.$id": "forums.manage",
  "routes/staff.forums.$slug.export": "forums.manage",
  "routes/staff.account": "signedIn",
  "routes/staff.account_.two-factor": "signedIn",
  "routes/staff.settings": "settings.manage",
  "routes/staff.people._index": "people.manage",
  "routes/staff.people.$id": "people.manage",
};

/**
 * Routes whose action needs another permission than their page: the
 * survey's overview is for everyone who may see the survey, its lifecycle
 * actions (open, close, deadline, archive) for those who may edit it. The
 * route × role test checks POSTs against this.
 */
export const ACTION_PERMISSIONS: Record<string, Permission> = {
  "routes/staff.surveys.$slug._index": "surveys.edit",
};
