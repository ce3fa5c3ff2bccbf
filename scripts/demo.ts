/**
 * Part of `npm run demo`, after the build and the migration: seeds the demo
 * database if it is empty, then prints a fresh staff password and a handful
 * of personalised links. Tokens are stored only as hashes, so this start-up
 * message is the only place a raw link ever appears.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_STAFF, isDemoSeeded, seedDemo, seedDemoStaff } from "../prisma/seed";
import { hashPassword } from "~/platform/password.server";
import { issueToken } from "~/platform/tokens.server";
import { db, disconnectDb } from "~/platform/db.server";
import { env } from "~/platform/env.server";

/** npm run demo starts the server with SESSION_SECRET_FILE pointing here. */
const DEMO_SECRET_FILE = "data/session-secret";

/**
 * The server runs in production mode, which needs a real session secret: the
 * demo makes one on first run and keeps it, so sign-ins survive a restart.
 */
function ensureDemoSecret(): void {
  if (existsSync(DEMO_SECRET_FILE)) return;
  mkdirSync(path.dirname(DEMO_SECRET_FILE), { recursive: true });
  writeFileSync(DEMO_SECRET_FILE, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
}

async function main() {
  ensureDemoSecret();
  if (!(await isDemoSeeded())) {
    console.log("Seeding the demo database (first run)…");
    await seedDemo(new Date());
  }
  await seedDemoStaff();
  const accounts: string[] = [];
  for (const account of DEMO_STAFF) {
    const password = randomBytes(9).toString("base64url");
    await db().staffUser.update({
      where: { email: account.email },
      data: { passwordHash: await hashPassword(password), failedLoginCount: 0, lockedUntil: null },
    });
    const scope = account.surveySlug ? ` (${account.surveySlug})` : "";
    accounts.push(`    ${`${account.role}${scope}`.padEnd(36)} email: ${account.email.padEnd(26)} password: ${password}`);
  }

  const base = env().PUBLIC_URL ?? `http://localhost:${env().PORT}`;
  const links: string[] = [];
  for (const slug of ["governance-review", "interoperability-standards"]) {
    const languages = slug === "governance-review" ? ["ar", "en", "fr", "zh", "es", "ru", "de"] : ["en"];
    for (const language of languages) {
      const participant = await db().participant.findFirst({
        where: { survey: { slug }, language, response: { is: null } },
        orderBy: { email: "desc" },
        select: { id: true, name: true, language: true },
      });
      if (!participant) continue;
      const token = await issueToken(participant.id);
      links.push(`  ${slug.padEnd(27)} ${participant.language}  ${base}/s/${token}  (${participant.name})`);
    }
  }

  console.log(
    [
      "",
      "Parley demo",
      `  Staff sign-in: ${base}/staff/login   (one account per role; passwords are new at every start)`,
      ...accounts,
      "  Personalised links (new at every start; keep them private):",
      ...links,
      `  Open forums (public sign-up): ${base}/forums/governance-forums`,
      "",
    ].join("\n"),
  );
}

main()
  .then(() => disconnectDb())
  .catch(async (error: unknown) => {
    console.error(`demo: ${(error as Error).message}`);
    await disconnectDb();
    process.exit(1);
  });
