import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { isVisible } from "../../app/domain/conditions";
import { surveyState } from "../../app/domain/survey-state";
import { hashPassword, verifyPassword } from "../../app/platform/password.server";
import { generateToken, hashToken, looksLikeToken, participantOfUnsubscribeToken, resumeKeyHash, unsubscribeToken } from "../../app/platform/tokens.server";
import { readEnv } from "../../app/platform/env.server";
import { redactPath } from "../../app/platform/redact";
import { renderEmailHtml } from "../../app/platform/email-html";
import { safeRedirectPath } from "../../app/platform/safe-redirect";
import { CONFIRM_FIELD, confirmationFor, confirmationStatus } from "../../app/platform/confirm";

const TOKEN = "Ab3_-xYz0123456789abcd"; // 22 base64url characters

describe("redactPath", () => {
  it("redacts the token of a personalised link", () => {
    expect(redactPath(`/s/${TOKEN}`)).toBe("/s/[redacted]");
    expect(redactPath(`/s/${TOKEN}/`)).toBe("/s/[redacted]/");
    expect(redactPath(`/s/${TOKEN}/section/intro`)).toBe("/s/[redacted]/section/intro");
    expect(redactPath(`/s/${TOKEN}/review`)).toBe("/s/[redacted]/review");
    expect(redactPath(`/s/${TOKEN}#top`)).toBe("/s/[redacted]#top");
  });

  it("redacts a forum cancellation token", () => {
    expect(redactPath(`/forums/cancel/${TOKEN}`)).toBe("/forums/cancel/[redacted]");
    expect(redactPath(`/forums/cancel/${TOKEN}?lang=fr`)).toBe("/forums/cancel/[redacted]?lang=fr");
  });

  it("redacts an unsubscribe token", () => {
    expect(redactPath(`/unsubscribe/${TOKEN}`)).toBe("/unsubscribe/[redacted]");
  });

  it("redacts a review link's token, not the staff page that makes them", () => {
    expect(redactPath(`/review/${TOKEN}?lang=ar`)).toBe("/review/[redacted]?lang=ar");
    expect(redactPath(`/Review/${TOKEN}.data`)).toBe("/Review/[redacted]");
    expect(redactPath("/staff/surveys/governance-review/review-links")).toBe("/staff/surveys/governance-review/review-links");
  });

  it("redacts a token inside a path in the query (React's route discovery)", () => {
    expect(redactPath(`/__manifest?p=%2Funsubscribe%2F${TOKEN}&version=abc`)).not.toContain(TOKEN);
    expect(redactPath(`/__manifest?p=%2Freview%2F${TOKEN}`)).toBe("/__manifest?p=/review/[redacted]");
  });

  it("redacts token, key and back query values, keeping other parameters", () => {
    expect(redactPath(`/login?token=${TOKEN}`)).toBe("/login?token=[redacted]");
    expect(redactPath(`/x?lang=en&token=${TOKEN}&page=2`)).toBe("/x?lang=en&token=[redacted]&page=2");
    expect(redactPath("/resume?key=secret#frag")).toBe("/resume?key=[redacted]#frag");
    expect(redactPath("/login?back=%2Fs%2Fsecret")).toBe("/login?back=[redacted]");
    expect(redactPath("/x?TOKEN=a&Key=b")).toBe("/x?TOKEN=[redacted]&Key=[redacted]");
  });

  it("redacts both a token segment and a query value in one path", () => {
    expect(redactPath(`/s/${TOKEN}/section/a?back=/s/${TOKEN}`)).not.toContain(TOKEN);
  });

  it("leaves other paths untouched", () => {
    for (const path of [
      "/",
      "/admin/surveys",
      "/surveys/governance-review",
      "/forums",
      "/forums/cancel",
      "/s",
      "/s/",
      "/sections/abc",
      "/x?monkey=1&tokens=2&backup=3",
      "/assets/app-abc123.js",
    ]) {
      expect(redactPath(path)).toBe(path);
    }
  });

  // Regression: the router matches paths case-insensitively (Remix/React Router
  // default), so /S/<token> and /Forums/Cancel/<token> reach the token routes,
  // but SECRET_SEGMENTS has no "i" flag and the token is logged in clear.
  it("redacts tokens in paths the router also serves with other letter case", () => {
    expect(redactPath(`/S/${TOKEN}`)).not.toContain(TOKEN);
    expect(redactPath(`/Forums/Cancel/${TOKEN}`)).not.toContain(TOKEN);
  });
});

describe("confirmationFor", () => {
  const form = (confirmed?: string) => {
    const data = new FormData();
    if (confirmed !== undefined) data.set(CONFIRM_FIELD, confirmed);
    return data;
  };

  it("asks when the form confirms no figure, or one that is not a number", () => {
    for (const value of [undefined, "", "yes", "-1", "1e3", "3.0"])
      expect(confirmationFor(form(value), 3), String(value)).toEqual({ count: 3, changed: false });
    expect(confirmationStatus({ count: 3, changed: false })).toBe(200);
  });

  it("lets the action go ahead only with the figure counted now, and asks again with the new one otherwise", () => {
    expect(confirmationFor(form("3"), 3)).toBeNull();
    expect(confirmationFor(form(" 0 "), 0)).toBeNull();
    expect(confirmationFor(form("3"), 4)).toEqual({ count: 4, changed: true });
    expect(confirmationStatus({ count: 4, changed: true })).toBe(409);
  });
});

describe("safeRedirectPath", () => {
  it("keeps local paths", () => {
    for (const path of ["/", "/admin", "/admin/surveys?page=2#x", "/s/abc/section/intro", "/a//b", "/a\\b"]) {
      expect(safeRedirectPath(path)).toBe(path);
    }
  });

  it("falls back for other hosts and protocol-relative tricks", () => {
    for (const path of [
      "//evil.example",
      "//evil.example/path",
      "/\\evil.example",
      "https://evil.example",
      "http:/evil",
      "javascript:alert(1)",
      "evil",
      "\\\\evil",
      " /admin",
    ]) {
      expect(safeRedirectPath(path)).toBe("/");
    }
  });

  it("falls back for paths containing tabs, newlines or other control characters", () => {
    for (const path of ["/\t/evil.example", "/\n/evil.example", "/admin\r\n", "/a\u0000b", "/x\u001fy"]) {
      expect(safeRedirectPath(path)).toBe("/");
    }
  });

  it("falls back for null, undefined and empty", () => {
    expect(safeRedirectPath(null)).toBe("/");
    expect(safeRedirectPath(undefined)).toBe("/");
    expect(safeRedirectPath("")).toBe("/");
  });

  it("uses the given fallback", () => {
    expect(safeRedirectPath("//evil", "/admin")).toBe("/admin");
    expect(safeRedirectPath(null, "/home")).toBe("/home");
    expect(safeRedirectPath("/ok", "/home")).toBe("/ok");
  });
});

describe("surveyState", () => {
  const opensAt = new Date("2026-03-01T00:00:00Z");
  const closesAt = new Date("2026-04-01T00:00:00Z");
  const before = new Date("2026-02-28T23:59:59.999Z");
  const during = new Date("2026-03-15T12:00:00Z");
  const justBeforeClose = new Date("2026-03-31T23:59:59.999Z");
  const after = new Date("2026-05-01T00:00:00Z");
  const survey = (status: string) => ({ status, opensAt, closesAt });

  it("is draft for a draft survey whatever the date", () => {
    for (const now of [before, during, after]) expect(surveyState(survey("draft"), now)).toBe("draft");
  });

  it("is draft for an unknown status", () => {
    expect(surveyState(survey("paused"), during)).toBe("draft");
  });

  it("is archived for an archived survey whatever the date", () => {
    for (const now of [before, during, after]) expect(surveyState(survey("archived"), now)).toBe("archived");
  });

  it("is scheduled before opensAt", () => {
    expect(surveyState(survey("published"), before)).toBe("scheduled");
  });

  it("is open at exactly opensAt and until just before closesAt", () => {
    expect(surveyState(survey("published"), new Date(opensAt))).toBe("open");
    expect(surveyState(survey("published"), during)).toBe("open");
    expect(surveyState(survey("published"), justBeforeClose)).toBe("open");
  });

  it("is closed at exactly closesAt and after", () => {
    expect(surveyState(survey("published"), new Date(closesAt))).toBe("closed");
    expect(surveyState(survey("published"), after)).toBe("closed");
  });
});

describe("isVisible", () => {
  const chosen = new Map([
    ["member", new Set(["yes"])],
    ["topics", new Set(["a", "c"])],
    ["empty", new Set<string>()],
  ]);

  it("is visible without a condition", () => {
    expect(isVisible(undefined, chosen)).toBe(true);
    expect(isVisible(undefined, new Map())).toBe(true);
  });

  it("is visible when any listed key was chosen", () => {
    expect(isVisible({ question: "member", anyOf: ["yes"] }, chosen)).toBe(true);
    expect(isVisible({ question: "topics", anyOf: ["b", "c"] }, chosen)).toBe(true);
  });

  it("is hidden when none of the listed keys was chosen", () => {
    expect(isVisible({ question: "member", anyOf: ["no"] }, chosen)).toBe(false);
    expect(isVisible({ question: "topics", anyOf: ["b"] }, chosen)).toBe(false);
  });

  it("is hidden when the question was not answered", () => {
    expect(isVisible({ question: "unknown", anyOf: ["yes"] }, chosen)).toBe(false);
    expect(isVisible({ question: "empty", anyOf: ["yes"] }, chosen)).toBe(false);
    expect(isVisible({ question: "member", anyOf: [] }, chosen)).toBe(false);
  });
});

describe("hashPassword / verifyPassword", () => {
  it("round-trips and rejects a wrong password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts each hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", a)).toBe(true);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("returns false for a malformed or foreign stored hash", async () => {
    const stored = await hashPassword("pw");
    const [, n, r, p, salt, key] = stored.split("$");
    for (const bad of [
      "",
      "garbage",
      "scrypt",
      "scrypt$32768$8$1",
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$$${key}`,
      `bcrypt$${n}$${r}$${p}$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}$${key!.slice(0, 8)}`, // truncated key
    ]) {
      expect(await verifyPassword("pw", bad)).toBe(false);
    }
  });

  // Regression: verifyPassword rejects (throws) instead of returning false when the
  // stored hash has non-numeric or invalid scrypt parameters: Number("abc") is
  // NaN and N=1000 is not a power of two, and node's scrypt throws
  // synchronously inside the Promise executor ("The value of "N" is out of
  // range" / "Invalid scrypt params"). A corrupted row would turn a login
  // attempt into a 500 rather than a plain failure.
  it("returns false (does not throw) for a hash with invalid scrypt parameters", async () => {
    const stored = await hashPassword("pw");
    const [, , r, p, salt, key] = stored.split("$");
    expect(await verifyPassword("pw", `scrypt$abc$${r}$${p}$${salt}$${key}`)).toBe(false);
    expect(await verifyPassword("pw", `scrypt$1000$${r}$${p}$${salt}$${key}`)).toBe(false);
  });

  it("verifies NFKC-equivalent passwords the same", async () => {
    const ligature = await hashPassword("ﬁsh");
    expect(await verifyPassword("fish", ligature)).toBe(true);
    const plain = await hashPassword("fish");
    expect(await verifyPassword("ﬁsh", plain)).toBe(true);
    // full-width letters and composed/decomposed accents
    expect(await verifyPassword("ｆｉｓｈ", plain)).toBe(true);
    const accented = await hashPassword("caf\u00e9");
    expect(await verifyPassword("cafe\u0301", accented)).toBe(true);
    expect(await verifyPassword("cafe", accented)).toBe(false);
  });
});

describe("tokens", () => {
  it("generateToken gives 22 base64url characters (128 bits)", () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(16);
  });

  it("generateToken is distinct across 1000 calls", () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(looksLikeToken(token)).toBe(true);
  });

  it("hashToken is hex SHA-256 and stable", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashToken(TOKEN)).toBe(hashToken(TOKEN));
    expect(hashToken(TOKEN)).toBe(createHash("sha256").update(TOKEN).digest("hex"));
    expect(hashToken(TOKEN)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(TOKEN)).not.toBe(hashToken(`${TOKEN}x`));
  });

  it("resumeKeyHash differs from hashToken and is stable hex", () => {
    const token = generateToken();
    expect(resumeKeyHash(token)).not.toBe(hashToken(token));
    expect(resumeKeyHash(token)).toBe(resumeKeyHash(token));
    expect(resumeKeyHash(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("looksLikeToken accepts 22–64 base64url characters only", () => {
    expect(looksLikeToken(TOKEN)).toBe(true);
    expect(looksLikeToken("a".repeat(64))).toBe(true);
    for (const bad of [
      "",
      "a".repeat(21),
      "a".repeat(65),
      `${TOKEN.slice(0, 21)}+`,
      `${TOKEN.slice(0, 21)}/`,
      `${TOKEN}=`,
      `${TOKEN}.`,
      ` ${TOKEN}`,
      `${TOKEN}\n`,
      "../../etc/passwd/aaaaaaaaaa",
      "ａ".repeat(22),
    ]) {
      expect(looksLikeToken(bad)).toBe(false);
    }
  });
});

describe("readEnv", () => {
  /** NODE_ENV is typed as required in ProcessEnv; the tests pass partial environments on purpose. */
  const read = (vars: Record<string, string>) => readEnv(vars as NodeJS.ProcessEnv);
  const SECRET = "s".repeat(32);

  it("applies defaults", () => {
    const env = read({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      HOST: "0.0.0.0",
      DATABASE_URL: "file:./data/parley.db",
      MAIL_FROM: "Parley <no-reply@localhost>",
      OUTBOX_DIR: "data/outbox",
      LOCALES_DIR: "locales",
      SURVEYS_DIR: "surveys",
      OUTBOX_WORKER: "inline",
      TRUST_PROXY: 0,
      LOG_LEVEL: "info",
    });
    expect(env.SESSION_SECRET).toBeUndefined();
    expect(env.PUBLIC_URL).toBeUndefined();
    expect(env.SMTP_URL).toBeUndefined();
  });

  it("reads given values and coerces numbers", () => {
    const env = read({ PORT: "8080", TRUST_PROXY: "2", DATABASE_URL: "postgresql://u:p@db/parley", PUBLIC_URL: "https://consult.example.org" });
    expect(env.PORT).toBe(8080);
    expect(env.TRUST_PROXY).toBe(2);
    expect(env.DATABASE_URL).toBe("postgresql://u:p@db/parley");
    expect(env.PUBLIC_URL).toBe("https://consult.example.org");
    expect(read({ DATABASE_URL: "postgres://db/x" }).DATABASE_URL).toBe("postgres://db/x");
  });

  it("accepts production with a long enough SESSION_SECRET", () => {
    expect(read({ NODE_ENV: "production", SESSION_SECRET: SECRET }).SESSION_SECRET).toBe(SECRET);
  });

  it("refuses production without SESSION_SECRET, in one readable line", () => {
    let message = "";
    try {
      read({ NODE_ENV: "production" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("SESSION_SECRET");
    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).not.toContain("\n");
  });

  it("reads the secret from SESSION_SECRET_FILE when SESSION_SECRET is unset", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-secret-"));
    const file = join(dir, "secret");
    writeFileSync(file, `${SECRET}\n`);
    try {
      expect(read({ NODE_ENV: "production", SESSION_SECRET_FILE: file }).SESSION_SECRET).toBe(SECRET);
      expect(read({ NODE_ENV: "production", SESSION_SECRET_FILE: file, SESSION_SECRET: "t".repeat(32) }).SESSION_SECRET).toBe("t".repeat(32));
      writeFileSync(file, "short\n");
      expect(() => read({ NODE_ENV: "production", SESSION_SECRET_FILE: file })).toThrow(/SESSION_SECRET must be set to at least 32/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses production with a short SESSION_SECRET", () => {
    expect(() => read({ NODE_ENV: "production", SESSION_SECRET: "s".repeat(31) })).toThrow(/SESSION_SECRET/);
  });

  it("refuses a DATABASE_URL that is neither SQLite nor PostgreSQL", () => {
    expect(() => read({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => read({ DATABASE_URL: "" })).toThrow(/DATABASE_URL/);
  });

  it("refuses a non-numeric or out-of-range PORT", () => {
    expect(() => read({ PORT: "abc" })).toThrow(/PORT/);
    expect(() => read({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => read({ PORT: "80.5" })).toThrow(/PORT/);
  });

  it("refuses unknown enum values", () => {
    expect(() => read({ NODE_ENV: "staging" })).toThrow(/NODE_ENV/);
    expect(() => read({ LOG_LEVEL: "debug" })).toThrow(/LOG_LEVEL/);
    expect(() => read({ OUTBOX_WORKER: "yes" })).toThrow(/OUTBOX_WORKER/);
    expect(() => read({ PUBLIC_URL: "not a url" })).toThrow(/PUBLIC_URL/);
  });

  it("lists several problems on one line", () => {
    expect(() => read({ PORT: "abc", DATABASE_URL: "mysql://x" })).toThrow(/PORT.*; DATABASE_URL|DATABASE_URL.*; PORT/);
  });
});

describe("renderEmailHtml", () => {
  const email = (name: string, href: string) =>
    renderEmailHtml({
      language: "ar",
      dir: "rtl",
      title: `Hello ${name}`,
      branding: { name: "Org <b>", logoUrl: "javascript:alert(1)" },
      blocks: [
        { type: "paragraph", text: `Dear ${name},\nsecond line` },
        { type: "button", href, label: "Open", fallback: "Your link:" },
        { type: "answers", label: "Q <i>", answers: ['"quoted" & <tag>'] },
      ],
      footer: ["Footer"],
      unsubscribe: { text: "Stop:", label: "Unsubscribe", href: "https://example.org/unsubscribe/x" },
    });

  it("escapes every text from people and never links anything but a web address", () => {
    const html = email("<script>alert(1)</script>", "javascript:alert(1)");
    expect(html).not.toContain("<script>");
    expect(html).toContain("Dear &lt;script&gt;alert(1)&lt;/script&gt;,<br>second line");
    expect(html).toContain("<title>Hello &lt;script&gt;");
    expect(html).toContain("Org &lt;b&gt;");
    expect(html).toContain("&quot;quoted&quot; &amp; &lt;tag&gt;");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain("text-align:right");
  });

  it("draws the button as a link in a coloured cell, with the address repeated for clients without buttons", () => {
    const html = email("Ana", "https://example.org/s/abc?x=1&y=2");
    expect(html).toMatch(/<td align="center" bgcolor="#0b5cad"[^>]*><a href="https:\/\/example\.org\/s\/abc\?x=1&amp;y=2"/);
    expect(html).toContain("Your link:<br><a href=");
    expect(html).toContain('href="https://example.org/unsubscribe/x"');
  });
});

describe("unsubscribe tokens", () => {
  it("round-trip a participant id and refuse any other string", () => {
    const id = "0b6f1c9e-3a4d-4c1b-9e2f-5a6b7c8d9e0f";
    const token = unsubscribeToken(id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(participantOfUnsubscribeToken(token)).toBe(id);
    const flipped = token.slice(0, 40) + (token[40] === "a" ? "b" : "a") + token.slice(41);
    expect(participantOfUnsubscribeToken(flipped)).toBeNull();
    expect(participantOfUnsubscribeToken(generateToken())).toBeNull();
    expect(participantOfUnsubscribeToken("")).toBeNull();
  });
});
