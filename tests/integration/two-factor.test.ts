// Two-factor sign-in (TOTP and recovery codes) and the organisation setting
// that requires it, against the built server: set-up, the second sign-in
// step, one use per code, the per-account attempt limit, the requirement.
import { generate, generateSecret } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
const password = "correct horse battery staple";
const PAGE = "/staff/account/two-factor";
const STEP = "/staff/login/two-factor";

beforeAll(async () => {
  database = await createTestDatabase("two-factor");
  const people: [string, string][] = [
    ["alice@example.org", "administrator"],
    ["brute@example.org", "administrator"],
    ["bare@example.org", "administrator"],
    ["viewer@example.org", "results_viewer"],
  ];
  for (const [email, role] of people) {
    await database.db.staffUser.create({
      data: { grants: { create: { role } }, email, name: email.split("@")[0]!, passwordHash: await hashPassword(password) },
    });
  }
  server = await startServer(database.url, { LOG_LEVEL: "error" });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

let address = 0;
/** Each request its own client address, so the per-address sign-in limit plays no part here. */
const headers = (cookie = "") => ({ cookie, origin: server.url, "accept-language": "en", "x-forwarded-for": `10.9.0.${++address}` });

async function signIn(email: string, next = "/staff"): Promise<Response> {
  return postForm(`${server.url}/staff/login`, { email, password, next }, { headers: headers() });
}

const user = (email: string) => database.db.staffUser.findUniqueOrThrow({ where: { email } });
const audits = (action: string) => database.db.auditLog.count({ where: { action } });
/** A code of the next 30-second step: accepted (one step of drift is allowed) and later than the step used to confirm set-up. */
const nextCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
/** As if time had moved on: the last step accepted is forgotten, so a current code is new again. */
const forgetLastStep = (email: string) => database.db.staffUser.update({ where: { email }, data: { totpLastStep: null } });

/** The recovery codes a page shows, each in its own <code>. */
const shownCodes = (html: string) => [...html.matchAll(/<code>([A-Z2-7]{5}-[A-Z2-7]{5})<\/code>/g)].map((match) => match[1]!);

let aliceCookie = "";
let secret = "";
let recoveryCodes: string[] = [];
let usedCode = "";

describe("two-factor sign-in", () => {
  it("sets up with a code from the app and shows ten recovery codes once, storing only their hashes", async () => {
    aliceCookie = cookiesFrom(await signIn("alice@example.org"));
    const before = await get(`${server.url}${PAGE}`, { headers: headers(aliceCookie) });
    expect(before.status).toBe(200);
    expect(before.headers.get("cache-control")).toBe("no-store");
    expect(await before.text()).toContain("Two-factor sign-in is off.");

    const start = await postForm(`${server.url}${PAGE}`, { intent: "start" }, { headers: headers(aliceCookie) });
    expect(start.status).toBe(302);
    secret = (await user("alice@example.org")).totpPendingSecret!;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const page = await (await get(`${server.url}${PAGE}`, { headers: headers(aliceCookie) })).text();
    expect(page).toContain("<svg");
    expect(page).toContain(secret.slice(0, 4) + " " + secret.slice(4, 8));

    const wrong = await postForm(`${server.url}${PAGE}`, { intent: "confirm", code: "000000" }, { headers: headers(aliceCookie) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("This code is not correct or has already been used.");
    expect((await user("alice@example.org")).totpSecret).toBeNull();

    const confirm = await postForm(`${server.url}${PAGE}`, { intent: "confirm", code: await generate({ secret }) }, { headers: headers(aliceCookie) });
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain("Two-factor sign-in is now on.");
    recoveryCodes = shownCodes(html);
    expect(recoveryCodes).toHaveLength(10);
    const account = await user("alice@example.org");
    expect(account.totpSecret).toBe(secret);
    expect(account.totpPendingSecret).toBeNull();
    expect(account.totpLastStep).toBeGreaterThan(0);
    const stored = await database.db.staffRecoveryCode.findMany({ where: { staffUserId: account.id } });
    expect(stored).toHaveLength(10);
    for (const code of recoveryCodes) expect(stored.some((row) => row.codeHash.includes(code) || row.codeHash.includes(code.replace("-", "")))).toBe(false);
    expect(await audits("staff.2fa.enable")).toBe(1);

    // Shown once: the page afterwards has the status, not the codes.
    const after = await (await get(`${server.url}${PAGE}`, { headers: headers(aliceCookie) })).text();
    expect(after).toContain("Two-factor sign-in is on.");
    expect(after).not.toContain(recoveryCodes[0]);
  });

  it("stops sign-in at the second step, keeping the target; staff pages send the pending session there", async () => {
    const login = await signIn("alice@example.org", "/staff/outbox");
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe(`${STEP}?next=%2Fstaff%2Foutbox`);
    const pending = cookiesFrom(login);
    expect(await database.db.staffSession.count({ where: { secondFactorPending: true } })).toBe(1);

    for (const path of ["/staff", "/staff/outbox", PAGE, "/staff/settings"]) {
      const response = await get(`${server.url}${path}`, { headers: headers(pending) });
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toBe(`${STEP}?next=${encodeURIComponent(path)}`);
    }
    expect((await postForm(`${server.url}${PAGE}`, { intent: "start" }, { headers: headers(pending) })).status).toBe(401);

    const step = await get(`${server.url}${STEP}?next=%2Fstaff%2Foutbox`, { headers: headers(pending) });
    expect(step.status).toBe(200);
    expect(await step.text()).toContain("Enter the six-digit code");
    // Without a pending session the step is not offered.
    expect((await get(`${server.url}${STEP}`, { headers: headers() })).headers.get("location")).toBe("/staff/login");
  });

  it("refuses a wrong code with a message, then signs in with the right one in a new session", async () => {
    const pending = cookiesFrom(await signIn("alice@example.org", "/staff/outbox"));
    const failuresBefore = await audits("staff.2fa.failure");
    const wrong = await postForm(`${server.url}${STEP}`, { code: "123456", next: "/staff/outbox" }, { headers: headers(pending) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("This code is not correct or has already been used.");
    expect(await audits("staff.2fa.failure")).toBe(failuresBefore + 1);

    usedCode = await nextCode(secret);
    const right = await postForm(`${server.url}${STEP}`, { code: usedCode, next: "/staff/outbox" }, { headers: headers(pending) });
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/staff/outbox");
    expect(await audits("staff.2fa.success")).toBe(1);
    const signedIn = cookiesFrom(right);
    expect(signedIn).not.toBe(pending);
    expect((await get(`${server.url}/staff/outbox`, { headers: headers(signedIn) })).status).toBe(200);
    // The pending session is gone, not promoted: its cookie opens nothing.
    const old = await get(`${server.url}/staff`, { headers: headers(pending) });
    expect(old.headers.get("location")).toBe("/staff/login?next=%2Fstaff");
  });

  it("refuses the same code a second time (another sign-in within the same 30 seconds)", async () => {
    const pending = cookiesFrom(await signIn("alice@example.org"));
    const again = await postForm(`${server.url}${STEP}`, { code: usedCode }, { headers: headers(pending) });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This code is not correct or has already been used.");
  });

  it("accepts a recovery code once, and not twice", async () => {
    const code = recoveryCodes[3]!;
    const first = cookiesFrom(await signIn("alice@example.org"));
    // Typed in lower case without the hyphen: still the code.
    const used = await postForm(`${server.url}${STEP}`, { code: code.replace("-", "").toLowerCase() }, { headers: headers(first) });
    expect(used.status).toBe(302);
    expect(await database.db.staffRecoveryCode.count({ where: { usedAt: { not: null } } })).toBe(1);

    const second = cookiesFrom(await signIn("alice@example.org"));
    const reused = await postForm(`${server.url}${STEP}`, { code }, { headers: headers(second) });
    expect(reused.status).toBe(400);
    const page = await (await get(`${server.url}${PAGE}`, { headers: headers(cookiesFrom(used)) })).text();
    expect(page).toContain("9 unused recovery codes left.");
  });

  it("limits code attempts per account across sessions: 429 with a message, even for the right code", async () => {
    const bruteSecret = generateSecret();
    await database.db.staffUser.update({ where: { email: "brute@example.org" }, data: { totpSecret: bruteSecret } });
    const sessions = [cookiesFrom(await signIn("brute@example.org")), cookiesFrom(await signIn("brute@example.org"))];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await postForm(`${server.url}${STEP}`, { code: String(100000 + attempt) }, { headers: headers(sessions[attempt % 2]) });
      expect(response.status).toBe(400);
    }
    const limited = await postForm(`${server.url}${STEP}`, { code: await generate({ secret: bruteSecret }) }, { headers: headers(sessions[1]) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    const text = await limited.text();
    expect(text).toContain("Too many attempts with codes. Try again in 15 minutes.");
  });

  it("gives new recovery codes for a current code; the old ones stop working", async () => {
    await forgetLastStep("alice@example.org");
    const renewed = await postForm(`${server.url}${PAGE}`, { intent: "renew", code: await generate({ secret }) }, { headers: headers(aliceCookie) });
    expect(renewed.status).toBe(200);
    const fresh = shownCodes(await renewed.text());
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);
    const pending = cookiesFrom(await signIn("alice@example.org"));
    expect((await postForm(`${server.url}${STEP}`, { code: recoveryCodes[0]! }, { headers: headers(pending) })).status).toBe(400);
    recoveryCodes = fresh;
  });
});

describe("requiring two-factor sign-in", () => {
  it("is an administrator's setting, audited, that sends administrators without it to the set-up page and leaves results viewers alone", async () => {
    const bare = cookiesFrom(await signIn("bare@example.org"));
    const viewer = cookiesFrom(await signIn("viewer@example.org"));
    expect((await get(`${server.url}/staff/settings`, { headers: headers(viewer) })).status).toBe(403);

    const settings = await get(`${server.url}/staff/settings`, { headers: headers(aliceCookie) });
    expect(settings.status).toBe(200);
    expect(await settings.text()).toContain("Require two-factor sign-in for administrators and survey managers");
    const save = await postForm(`${server.url}/staff/settings`, { intent: "save", requireTwoFactor: "on" }, { headers: headers(aliceCookie) });
    expect(save.status).toBe(200);
    expect(await database.db.setting.findUnique({ where: { key: "staff.requireTwoFactor" } })).toMatchObject({ value: "true" });
    expect(await audits("settings.change")).toBe(1);

    for (const path of ["/staff", "/staff/outbox", "/staff/settings"]) {
      const response = await get(`${server.url}${path}`, { headers: headers(bare) });
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location")).toBe(PAGE);
    }
    const page = await get(`${server.url}${PAGE}`, { headers: headers(bare) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Your organisation requires two-factor sign-in for your role.");
    expect((await get(`${server.url}/staff`, { headers: headers(viewer) })).status).toBe(200);
    expect((await get(`${server.url}/staff`, { headers: headers(aliceCookie) })).status).toBe(200);
    expect((await postForm(`${server.url}/staff/logout`, {}, { headers: headers(bare) })).status).toBe(302);
  });
});

describe("turning two-factor sign-in off", () => {
  it("needs a current code", async () => {
    const missing = await postForm(`${server.url}${PAGE}`, { intent: "disable" }, { headers: headers(aliceCookie) });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Enter a code.");
    const wrong = await postForm(`${server.url}${PAGE}`, { intent: "disable", code: "000000" }, { headers: headers(aliceCookie) });
    expect(wrong.status).toBe(400);
    expect((await user("alice@example.org")).totpSecret).toBe(secret);

    await forgetLastStep("alice@example.org");
    const off = await postForm(`${server.url}${PAGE}`, { intent: "disable", code: await generate({ secret }) }, { headers: headers(aliceCookie) });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain("Two-factor sign-in is now off.");
    const account = await user("alice@example.org");
    expect(account.totpSecret).toBeNull();
    expect(await database.db.staffRecoveryCode.count({ where: { staffUserId: account.id } })).toBe(0);
    expect(await audits("staff.2fa.disable")).toBe(1);
    // Signing in is one step again.
    expect((await signIn("alice@example.org")).headers.get("location")).toBe("/staff");
  });
});
