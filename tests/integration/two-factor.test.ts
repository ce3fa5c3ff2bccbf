// Two-factor sign-in (TOTP and recovery codes) and the organisation settings
// (the requirement of it, the organisation's name, logo and colour), against
// the built server: set-up, the second sign-in step, one use per code, the
// per-account attempt limit, the requirement, branding and its refusals.
import { generate, generateSecret } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { solidPng } from "../support/images";
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

describe("the organisation's name, logo and colour", () => {
  const SETTINGS = "/staff/settings";
  const setting = async (key: string) => (await database.db.setting.findUnique({ where: { key } }))?.value ?? null;
  const branding = (fields: Record<string, string>) =>
    postForm(
      `${server.url}${SETTINGS}`,
      { intent: "branding", accentBefore: "", accentPicker: "#0b5cad", name: "", accent: "", ...fields },
      { headers: headers(aliceCookie) },
    );
  const upload = (bytes: Uint8Array, fileName: string, type: string) => {
    const form = new FormData();
    form.set("intent", "logo");
    form.set("logo", new Blob([new Uint8Array(bytes)], { type }), fileName);
    return fetch(`${server.url}${SETTINGS}`, { method: "POST", body: form, redirect: "manual", headers: headers(aliceCookie) });
  };

  it("is for administrators only", async () => {
    const viewer = cookiesFrom(await signIn("viewer@example.org"));
    expect((await postForm(`${server.url}${SETTINGS}`, { intent: "branding", name: "Taken over" }, { headers: headers(viewer) })).status).toBe(403);
    expect(await setting("organisation.name")).toBeNull();
  });

  it("saves a name (and one per language) and a colour with enough contrast; pages show them", async () => {
    const saved = await branding({ name: "Guild of Translators", "name.fr": "Guilde des traducteurs", accent: "#6b21a8" });
    expect(saved.status).toBe(200);
    expect(JSON.parse((await setting("organisation.name"))!)).toEqual({ "*": "Guild of Translators", fr: "Guilde des traducteurs" });
    expect(await setting("organisation.accent")).toBe("#6b21a8");
    expect(await audits("settings.branding")).toBe(1);

    const home = await (await get(`${server.url}/`, { headers: headers() })).text();
    expect(home).toContain("<span>Guild of Translators</span>");
    expect(home).toContain(":root{--accent:#6b21a8}");
    const french = await (await get(`${server.url}/`, { headers: { ...headers(), cookie: "lng=fr" } })).text();
    expect(french).toContain("<span>Guilde des traducteurs</span>");
    expect(await (await get(`${server.url}${SETTINGS}`, { headers: headers(aliceCookie) })).text()).toContain("<span>Guild of Translators</span>");
  });

  it("refuses a colour that fails WCAG AA, a malformed colour and a name with control characters: 400, a message, nothing changed", async () => {
    const yellow = await branding({ name: "Guild of Translators", "name.fr": "Guilde des traducteurs", accent: "#ffff00" });
    expect(yellow.status).toBe(400);
    expect(await yellow.text()).toContain("This colour&#x27;s contrast is 1.01:1; at least 4.5:1 is needed");
    const arabic = await postForm(
      `${server.url}${SETTINGS}`,
      { intent: "branding", accentBefore: "#6b21a8", accentPicker: "#ffff00", accent: "#6b21a8", name: "Guild of Translators" },
      { headers: { ...headers(aliceCookie), cookie: `${aliceCookie}; lng=ar`, "accept-language": "ar" } },
    );
    expect(arabic.status).toBe(400);
    expect(await arabic.text()).toContain("تباين هذا اللون");
    const malformed = await branding({ name: "Guild of Translators", accent: "purple" });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain("Enter the colour as # followed by six hexadecimal digits");
    const control = await branding({ name: "Guild\u0007 of Translators" });
    expect(control.status).toBe(400);
    expect(await control.text()).toContain("The name contains control characters");
    expect((await branding({ name: "x".repeat(81) })).status).toBe(400);
    expect(await setting("organisation.accent")).toBe("#6b21a8");
    expect(JSON.parse((await setting("organisation.name"))!)["*"]).toBe("Guild of Translators");
    expect(await audits("settings.branding")).toBe(1);
  });

  let logoUrl = "";
  const png = solidPng(120, 40);

  it("stores a PNG logo and serves it with its type, nosniff, a closed policy and a versioned, cached address", async () => {
    const uploaded = await upload(png, "logo.png", "image/png");
    expect(uploaded.status).toBe(200);
    expect(await audits("settings.logo")).toBe(1);
    const home = await (await get(`${server.url}/`, { headers: headers() })).text();
    const img = /<img class="brand-logo" src="(\/branding\/logo\?v=[0-9a-f]{16})" width="120" height="40" alt=""\/>/.exec(home);
    expect(img).not.toBeNull();
    logoUrl = img![1]!;

    const logo = await get(`${server.url}${logoUrl}`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(logo.headers.get("x-content-type-options")).toBe("nosniff");
    expect(logo.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(logo.headers.get("content-disposition")).toBe("inline");
    expect(logo.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await logo.arrayBuffer()).equals(png)).toBe(true);
    const etag = logo.headers.get("etag")!;
    expect((await get(`${server.url}/branding/logo`, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("refuses a text file named .png, an SVG with script, a file too large or too wide: a message, 4xx, the logo unchanged", async () => {
    const before = await setting("organisation.logo.meta");
    const text = await upload(new TextEncoder().encode("just some text, not an image\n"), "logo.png", "image/png");
    expect(text.status).toBe(400);
    expect(await text.text()).toContain("This file is not a PNG, JPEG or WebP image.");
    const svg = await upload(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "logo.png", "image/png");
    expect(svg.status).toBe(400);
    expect(await svg.text()).toContain("SVG logos are not accepted, because they can contain scripts.");
    const large = new Uint8Array(600 * 1024);
    large.set(png);
    const tooLarge = await upload(large, "logo.png", "image/png");
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain("The file is too large: a logo may be at most 512 KB.");
    const wide = await upload(solidPng(2001, 1), "wide.png", "image/png");
    expect(wide.status).toBe(400);
    expect(await wide.text()).toContain("at most 2000 × 2000 pixels");
    expect(await setting("organisation.logo.meta")).toBe(before);
    expect(await audits("settings.logo")).toBe(1);
  });

  it("removes the logo: the header shows the name alone and the address answers 404", async () => {
    const removed = await postForm(`${server.url}${SETTINGS}`, { intent: "removeLogo" }, { headers: headers(aliceCookie) });
    expect(removed.status).toBe(200);
    expect(await audits("settings.logo.remove")).toBe(1);
    expect((await get(`${server.url}${logoUrl}`)).status).toBe(404);
    expect(await (await get(`${server.url}/`, { headers: headers() })).text()).not.toContain("brand-logo");
    // Back to the product's own colour and name, so later tests see the defaults.
    expect((await branding({ name: "", accentBefore: "#6b21a8", accent: "" })).status).toBe(200);
    expect(await setting("organisation.accent")).toBeNull();
    expect(await setting("organisation.name")).toBeNull();
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
