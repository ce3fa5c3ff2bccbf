import { z } from "zod";
import {
  acceptInvitation as acceptInvitationRow,
  countSurveysWithIds,
  createInvitationWithEmail,
  deactivateStaffUser,
  findInvitation,
  findInvitationByTokenHash,
  findPendingInvitationByEmail,
  findStaffPerson,
  listPendingInvitations,
  listStaffPeople,
  listSurveyChoices,
  reactivateStaffUser,
  renewInvitation,
  replaceGrants,
  revokeInvitation as revokeInvitationRow,
  staffEmailExists,
  type GrantRow,
} from "~/models/staff-people.server";
import type { OutboxMessageInput } from "~/models/outbox.server";
import { recordAudit } from "~/platform/audit.server";
import { formText, type FieldErrors } from "~/platform/forms.server";
import { getFixedT, isAvailableLanguage } from "~/platform/i18n.server";
import { hashPassword } from "~/platform/password.server";
import { passwordProblem } from "~/platform/password-policy.server";
import { hitRateLimit, peekRateLimit } from "~/platform/rate-limit.server";
import { generateToken, hashToken, looksLikeToken } from "~/platform/tokens.server";
import { surveyTitles } from "~/features/surveys/index.server";
import { isRole, ROLES, type Grant, type Role } from "~/features/staff/permissions";

/**
 * The People page: staff accounts, invitations and roles. An invitation
 * stores the hash of a one-time link valid for seven days and the grants the
 * account will hold; accepting it sets the password, creates the account and
 * signs the person in.
 */
export const INVITATION_DAYS = 7;
const DAY_MS = 24 * 3_600_000;

/** Wrong invitation links per client address, as for survey links. */
const WRONG_LINKS_PER_WINDOW = 20;
const WRONG_LINK_WINDOW_MS = 10 * 60_000;

const EMAIL = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z
      .string()
      .min(1, { message: "errors.field.required", abort: true })
      .max(254, { message: "errors.field.tooLong", abort: true })
      .email({ message: "people:errors.invalidEmail" }),
  );

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * One row per role: a checkbox `role`, a scope `scope-<role>` ("all" or a survey id); translators any number of
 * `language-translator` checkboxes (none: every language), each ticked language its own grant.
 */
const grantFields = {
  role: z.preprocess(
    asList,
    z
      .array(z.string())
      .min(1, { message: "people:errors.noRole", abort: true })
      .refine((roles) => roles.every((role) => isRole(role)), { message: "people:errors.unknownRole" }),
  ),
  ...Object.fromEntries(ROLES.map((role) => [`scope-${role}`, formText(z.string().max(100, "errors.field.tooLong"), "all")])),
  "language-translator": z.preprocess(
    asList,
    z
      .array(z.string())
      .max(50, { message: "people:errors.unknownLanguage" })
      .refine((languages) => languages.every((value) => value === "" || isAvailableLanguage(value)), { message: "people:errors.unknownLanguage" }),
  ),
} as Record<string, z.ZodType>;

function toGrants(values: Record<string, unknown>): Grant[] {
  const roles = [...new Set(asList(values.role))].filter((role): role is Role => typeof role === "string" && isRole(role));
  const languages = [...new Set(asList(values["language-translator"]).filter((value): value is string => typeof value === "string" && value !== ""))];
  return ROLES.filter((role) => roles.includes(role)).flatMap((role): Grant[] => {
    const scope = String(values[`scope-${role}`] ?? "all");
    const surveyId = scope === "all" || scope === "" ? null : scope;
    if (role !== "translator" || languages.length === 0) return [{ role, surveyId, language: null }];
    return languages.map((language) => ({ role, surveyId, language }));
  });
}

/**
 * The grants a refused form asked for, unchecked, so the form shows them again as they were ticked (at most 20 roles
 * and 50 languages are read back).
 */
export function submittedGrants(form: FormData): Grant[] {
  const text = (name: string) => form.getAll(name).filter((value): value is string => typeof value === "string");
  const values: Record<string, unknown> = { role: text("role").slice(0, 20), "language-translator": text("language-translator").slice(0, 50) };
  for (const role of ROLES) values[`scope-${role}`] = text(`scope-${role}`)[0]?.slice(0, 100);
  return toGrants(values);
}

export const grantsSchema = z.object(grantFields).transform((values) => ({ grants: toGrants(values) }));

export const inviteSchema = z
  .object({
    email: formText(EMAIL),
    name: formText(z.string().trim().min(1, "errors.field.required").max(200, "errors.field.tooLong")),
    language: formText(z.string().refine((value) => isAvailableLanguage(value), { message: "people:errors.unknownLanguage" })),
    ...grantFields,
  })
  .transform((values) => ({ email: values.email as string, name: values.name as string, language: values.language as string, grants: toGrants(values) }));

export type InviteInput = z.output<typeof inviteSchema>;

export const acceptSchema = z.object({
  password: formText(z.string().min(1, "errors.field.required").max(1024, "errors.field.tooLong")),
  repeat: formText(z.string().min(1, "errors.field.required").max(1024, "errors.field.tooLong")),
});

/** Unknown surveys named by the grants, as field errors. */
async function surveyErrors(grants: readonly Grant[]): Promise<FieldErrors> {
  const named = grants.filter((grant) => grant.surveyId !== null);
  if (named.length === 0) return {};
  const malformed = named.filter((grant) => !/^[0-9a-f-]{36}$/.test(grant.surveyId!));
  const ids = [...new Set(named.map((grant) => grant.surveyId!))];
  if (malformed.length === 0 && (await countSurveysWithIds(ids)) === ids.length) return {};
  const errors: FieldErrors = {};
  for (const grant of named) {
    const ok = /^[0-9a-f-]{36}$/.test(grant.surveyId!) && (await countSurveysWithIds([grant.surveyId!])) === 1;
    if (!ok) errors[`scope-${grant.role}`] = ["people:errors.unknownSurvey"];
  }
  return errors;
}

function parseStoredGrants(text: string): Grant[] {
  try {
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list)) return [];
    return list.flatMap((item: { role?: unknown; surveyId?: unknown; language?: unknown }) =>
      typeof item?.role === "string" && isRole(item.role)
        ? [
            {
              role: item.role,
              surveyId: typeof item.surveyId === "string" ? item.surveyId : null,
              language: typeof item.language === "string" ? item.language : null,
            },
          ]
        : [],
    );
  } catch {
    return [];
  }
}

/** A grant as the page shows it: the role, "all surveys" or the survey's title, the translator's language. */
export interface GrantView {
  role: Role;
  surveyId: string | null;
  survey: string | null;
  language: string | null;
}

function describeGrants(grants: readonly Grant[], slugById: Map<string, string>, titles: Record<string, string>): GrantView[] {
  return grants.map((grant) => {
    const slug = grant.surveyId ? slugById.get(grant.surveyId) : undefined;
    return {
      role: grant.role,
      surveyId: grant.surveyId,
      survey: grant.surveyId ? (slug ? (titles[slug] ?? slug) : grant.surveyId) : null,
      language: grant.language,
    };
  });
}

function asGrants(rows: readonly GrantRow[]): Grant[] {
  return rows.flatMap((row) => (isRole(row.role) ? [{ role: row.role, surveyId: row.surveyId, language: row.language }] : []));
}

async function surveyContext(locale: string) {
  const surveys = await listSurveyChoices();
  const titles = await surveyTitles(locale, surveys);
  const slugById = new Map(surveys.map((survey) => [survey.id, survey.slug]));
  return { surveys: surveys.map((survey) => ({ id: survey.id, title: titles[survey.slug] ?? survey.slug })), titles, slugById };
}

export async function peoplePage(locale: string, now: Date) {
  const [people, invitations, context] = await Promise.all([listStaffPeople(), listPendingInvitations(now), surveyContext(locale)]);
  return {
    surveys: context.surveys,
    people: people.map((person) => ({
      id: person.id,
      name: person.name,
      email: person.email,
      active: person.active,
      lastSignInAt: person.lastSignInAt?.toISOString() ?? null,
      grants: describeGrants(asGrants(person.grants), context.slugById, context.titles),
    })),
    invitations: invitations.map((invitation) => ({
      id: invitation.id,
      email: invitation.email,
      name: invitation.name,
      invitedBy: invitation.invitedBy?.name ?? null,
      expiresAt: invitation.expiresAt.toISOString(),
      grants: describeGrants(parseStoredGrants(invitation.grants), context.slugById, context.titles),
    })),
  };
}

export async function personPage(id: string, locale: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [person, context] = await Promise.all([findStaffPerson(id), surveyContext(locale)]);
  if (!person) return null;
  return {
    surveys: context.surveys,
    person: {
      id: person.id,
      name: person.name,
      email: person.email,
      active: person.active,
      lastSignInAt: person.lastSignInAt?.toISOString() ?? null,
      grants: describeGrants(asGrants(person.grants), context.slugById, context.titles),
    },
  };
}

export function invitationLink(origin: string, token: string): string {
  return `${origin}/staff/invitation/${token}`;
}

function roleNames(language: string, grants: readonly Grant[], titles: Record<string, string>, slugById: Map<string, string>): string {
  const t = getFixedT(language, "people");
  return grants
    .map((grant) => {
      const slug = grant.surveyId ? slugById.get(grant.surveyId) : undefined;
      const scope = grant.surveyId ? (slug ? (titles[slug] ?? slug) : grant.surveyId) : t("scope.all");
      return `- ${t(`roles.${grant.role}`)} (${scope}${grant.language ? `, ${grant.language}` : ""})`;
    })
    .join("\n");
}

async function invitationEmail(
  invitation: { email: string; name: string; language: string; grants: readonly Grant[] },
  inviter: string | null,
  link: string,
  expiresAt: Date,
): Promise<OutboxMessageInput> {
  const { language } = invitation;
  const t = getFixedT(language, "people");
  const surveys = await listSurveyChoices();
  const titles = await surveyTitles(language, surveys);
  const slugById = new Map(surveys.map((survey) => [survey.id, survey.slug]));
  const expires = `${new Intl.DateTimeFormat(language, { dateStyle: "full", timeStyle: "short", timeZone: "UTC" }).format(expiresAt)} (UTC)`;
  const text = [
    t("email.greeting", { name: invitation.name }),
    "",
    inviter ? t("email.invitedBy", { inviter }) : t("email.invited"),
    "",
    t("email.roles"),
    roleNames(language, invitation.grants, titles, slugById),
    "",
    t("email.linkIntro"),
    link,
    "",
    t("email.expires", { expires }),
    t("email.personal"),
  ].join("\n");
  return {
    template: "staff-invitation",
    toAddress: invitation.email,
    toName: invitation.name,
    language,
    subject: t("email.subject"),
    textBody: text,
    attachments: null,
  };
}

export type InviteResult =
  { ok: true; invitationId: string; token: string; link: string; expiresAt: Date } | { ok: false; status: 400 | 409; errors: FieldErrors; pendingId?: string };

/** Creates an invitation and queues its email; `inviter` null for the command line. */
export async function invite(input: InviteInput, inviter: { id: string; name: string } | null, origin: string, now = new Date()): Promise<InviteResult> {
  const surveyProblems = await surveyErrors(input.grants);
  if (Object.keys(surveyProblems).length) return { ok: false, status: 400, errors: surveyProblems };
  if (await staffEmailExists(input.email)) return { ok: false, status: 409, errors: { email: ["people:errors.alreadyStaff"] } };
  const pending = await findPendingInvitationByEmail(input.email, now);
  if (pending) return { ok: false, status: 409, errors: { email: ["people:errors.alreadyInvited"] }, pendingId: pending.id };
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * DAY_MS);
  const link = invitationLink(origin, token);
  const email = await invitationEmail(input, inviter?.name ?? null, link, expiresAt);
  const invitationId = await createInvitationWithEmail(
    {
      email: input.email,
      name: input.name,
      language: input.language,
      grants: JSON.stringify(input.grants),
      tokenHash: hashToken(token),
      invitedById: inviter?.id ?? null,
      expiresAt,
    },
    email,
  );
  await recordAudit({ staffUserId: inviter?.id ?? null, action: "staff.invite", subject: invitationId, detail: { grants: input.grants } });
  return { ok: true, invitationId, token, link, expiresAt };
}

/** A new link (the old one stops working), seven more days, the email again. */
export async function resendInvitation(id: string, actor: { id: string; name: string }, origin: string, now = new Date()): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return false;
  const invitation = await findInvitation(id);
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) return false;
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * DAY_MS);
  const email = await invitationEmail({ ...invitation, grants: parseStoredGrants(invitation.grants) }, actor.name, invitationLink(origin, token), expiresAt);
  if (!(await renewInvitation(id, hashToken(token), expiresAt, email))) return false;
  await recordAudit({ staffUserId: actor.id, action: "staff.invitation.resend", subject: id });
  return true;
}

export async function revokeInvitation(id: string, actorId: string, now = new Date()): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return false;
  if (!(await revokeInvitationRow(id, now))) return false;
  await recordAudit({ staffUserId: actorId, action: "staff.invitation.revoke", subject: id });
  return true;
}

export type InvitationLookup =
  | { state: "unknown" }
  | { state: "tooMany"; retryAfterSeconds: number }
  | { state: "gone" }
  | { state: "pending"; invitation: { id: string; email: string; name: string; language: string; invitedBy: string | null; grants: Grant[] } };

/** The invitation behind a link; wrong links count against the client address like wrong survey links. */
export async function lookUpInvitation(token: string, clientIp: string | undefined, now = new Date()): Promise<InvitationLookup> {
  const limitKey = `token:${clientIp ?? "unknown"}`;
  const limit = await peekRateLimit(limitKey, WRONG_LINKS_PER_WINDOW, WRONG_LINK_WINDOW_MS);
  if (!limit.allowed) return { state: "tooMany", retryAfterSeconds: limit.retryAfterSeconds };
  const row = looksLikeToken(token) ? await findInvitationByTokenHash(hashToken(token)) : null;
  if (!row) {
    await hitRateLimit(limitKey, WRONG_LINKS_PER_WINDOW, WRONG_LINK_WINDOW_MS);
    return { state: "unknown" };
  }
  if (row.acceptedAt || row.revokedAt || row.expiresAt <= now) return { state: "gone" };
  return {
    state: "pending",
    invitation: {
      id: row.id,
      email: row.email,
      name: row.name,
      language: row.language,
      invitedBy: row.invitedBy?.name ?? null,
      grants: parseStoredGrants(row.grants),
    },
  };
}

export async function invitationGrantViews(grants: readonly Grant[], locale: string): Promise<GrantView[]> {
  const context = await surveyContext(locale);
  return describeGrants(grants, context.slugById, context.titles);
}

export type AcceptResult = { ok: true; userId: string } | { ok: false; status: 400 | 410; errors: FieldErrors };

export async function acceptInvitation(
  invitation: { id: string; email: string; name: string; language: string; grants: Grant[] },
  values: z.output<typeof acceptSchema>,
  now = new Date(),
): Promise<AcceptResult> {
  if (values.password !== values.repeat) return { ok: false, status: 400, errors: { repeat: ["people:errors.passwordMismatch"] } };
  const problem = passwordProblem(values.password, [invitation.name, invitation.email]);
  if (problem) return { ok: false, status: 400, errors: { password: [problem] } };
  const passwordHash = await hashPassword(values.password);
  const userId = await acceptInvitationRow(
    invitation.id,
    { email: invitation.email, name: invitation.name, language: invitation.language, passwordHash },
    invitation.grants,
    now,
  );
  if (!userId) return { ok: false, status: 410, errors: { form: ["people:errors.linkGone"] } };
  await recordAudit({ staffUserId: userId, action: "staff.invitation.accept", subject: invitation.id, detail: { grants: invitation.grants } });
  return { ok: true, userId };
}

export type ChangeResult = { ok: true } | { ok: false; status: 400 | 404 | 409; errors: FieldErrors };

export async function changeRoles(actorId: string, personId: string, grants: Grant[]): Promise<ChangeResult> {
  const surveyProblems = await surveyErrors(grants);
  if (Object.keys(surveyProblems).length) return { ok: false, status: 400, errors: surveyProblems };
  if (actorId === personId && !grants.some((grant) => grant.role === "administrator" && grant.surveyId === null)) {
    return { ok: false, status: 409, errors: { form: ["people:errors.ownAdministrator"] } };
  }
  const outcome = await replaceGrants(personId, grants);
  if (outcome === "notFound") return { ok: false, status: 404, errors: { form: ["people:errors.notFound"] } };
  if (outcome === "lastAdministrator") return { ok: false, status: 409, errors: { form: ["people:errors.lastAdministrator"] } };
  await recordAudit({ staffUserId: actorId, action: "staff.roles.change", subject: personId, detail: { grants } });
  return { ok: true };
}

export async function deactivate(actorId: string, personId: string): Promise<ChangeResult> {
  if (actorId === personId) return { ok: false, status: 409, errors: { form: ["people:errors.deactivateSelf"] } };
  const outcome = await deactivateStaffUser(personId);
  if (outcome === "notFound") return { ok: false, status: 404, errors: { form: ["people:errors.notFound"] } };
  if (outcome === "lastAdministrator") return { ok: false, status: 409, errors: { form: ["people:errors.lastAdministrator"] } };
  await recordAudit({ staffUserId: actorId, action: "staff.deactivate", subject: personId });
  return { ok: true };
}

export async function reactivate(actorId: string, personId: string): Promise<ChangeResult> {
  const outcome = await reactivateStaffUser(personId);
  if (outcome === "notFound") return { ok: false, status: 404, errors: { form: ["people:errors.notFound"] } };
  await recordAudit({ staffUserId: actorId, action: "staff.reactivate", subject: personId });
  return { ok: true };
}
