/**
 * npm run staff:create -- --email a@b.org --name "Ada" --role administrator [--survey <slug>] [--language fr]
 *
 * Invites a staff member from the command line (the first administrator of a
 * new installation, or when nobody can sign in): an invitation like the
 * People page makes, with its email queued, and the one-time link printed
 * here. The person chooses their password on that page, so no password ever
 * passes through the shell or its history.
 */
import { parseArgs } from "node:util";
import { invite, inviteSchema } from "~/features/staff/people.server";
import { ROLES } from "~/features/staff/permissions";
import { parseValues } from "~/platform/forms.server";
import { getFixedT } from "~/platform/i18n.server";
import { db, disconnectDb } from "~/platform/db.server";
import { env } from "~/platform/env.server";

const USAGE = `Usage: npm run staff:create -- --email <address> --name <name> --role <${ROLES.join("|")}> [--survey <slug>] [--language <code>]`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: "string" },
        name: { type: "string" },
        role: { type: "string" },
        survey: { type: "string" },
        language: { type: "string", default: "en" },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.email || !values.name || !values.role) {
    console.error(USAGE);
    return 2;
  }
  let surveyId = "all";
  if (values.survey) {
    const survey = await db().survey.findUnique({ where: { slug: values.survey }, select: { id: true } });
    if (!survey) {
      console.error(`staff:create: no survey with the slug "${values.survey}".`);
      return 1;
    }
    surveyId = survey.id;
  }
  const parsed = parseValues(inviteSchema, {
    email: values.email,
    name: values.name,
    language: values.language,
    role: values.role,
    [`scope-${values.role}`]: surveyId,
    ...(values.role === "translator" ? { "language-translator": "" } : {}),
  });
  const t = getFixedT("en", "people");
  const common = getFixedT("en");
  const explain = (errors: Record<string, string[]>) =>
    Object.entries(errors).map(([field, keys]) => `  ${field}: ${keys.map((key) => (key.startsWith("people:") ? t(key.slice(7)) : common(key))).join(" ")}`);
  if (!parsed.ok) {
    console.error(["staff:create refused:", ...explain(parsed.errors)].join("\n"));
    return 1;
  }
  const origin = (env().PUBLIC_URL ?? `http://localhost:${env().PORT}`).replace(/\/$/, "");
  const result = await invite(parsed.values, null, origin);
  if (!result.ok) {
    console.error(["staff:create refused:", ...explain(result.errors)].join("\n"));
    return 1;
  }
  console.log(`Invitation for ${parsed.values.email} (${parsed.values.grants.map((grant) => grant.role).join(", ")}).`);
  console.log(`Set-password link (works once): ${result.link}`);
  console.log(`Expires: ${result.expiresAt.toISOString()}`);
  return 0;
}

main()
  .then(async (code) => {
    await disconnectDb();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`staff:create failed: ${(error as Error).message}`);
    await disconnectDb();
    process.exit(1);
  });
