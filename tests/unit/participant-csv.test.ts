import { describe, expect, it } from "vitest";
import { matchLanguage, normaliseHeader, parseParticipantFile, textChunks, type ParticipantFileContext } from "~/domain/participant-csv";

const context: ParticipantFileContext = {
  languages: ["ar", "de", "en", "es", "fr", "ru", "zh"],
  defaultLanguage: "en",
  existingEmails: new Set(["already@example.org"]),
};

async function parseText(text: string | Uint8Array, overrides: Partial<ParticipantFileContext> = {}) {
  return parseParticipantFile(textChunks(text, 7), { ...context, ...overrides });
}

async function parsed(text: string | Uint8Array) {
  const result = await parseText(text);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problem)}`);
  return result.file;
}

describe("participant CSV", () => {
  it("reads Excel's semicolon file with a BOM, CRLF endings and headers in any order and case", async () => {
    const file = await parsed("\uFEFFEmail;NAME;Unit/Role;Language;Country;Region\r\nali@example.org;Ali Hassan;Section officer;AR;Egypt;MENA\r\n");
    expect(file.errors).toEqual([]);
    expect(file.rows).toEqual([
      { line: 2, name: "Ali Hassan", email: "ali@example.org", language: "ar", region: "MENA", country: "Egypt", unit: "Section officer", timeZone: null },
    ]);
  });

  it("reads LibreOffice's comma file with quoted commas, quotes and line breaks, keeping line numbers", async () => {
    const file = await parsed('name,email,language\n"Müller, Anna",anna@example.org,de-AT\n"Jean ""JJ""\nDupont",jj@example.org,fr\nnot-an-email,nope,fr\n');
    expect(file.rows.map((row) => [row.line, row.name, row.language])).toEqual([
      [2, "Müller, Anna", "de"],
      [3, 'Jean "JJ"\nDupont', "fr"],
    ]);
    expect(file.errors).toEqual([{ line: 5, problems: [{ code: "invalidEmail", value: "nope" }] }]);
  });

  it("reports every bad row with its line and reasons and keeps the good ones", async () => {
    const file = await parsed(
      [
        "name,email,language,timezone",
        "Good,good@example.org,,Africa/Nairobi",
        ",missing-name@example.org,en,",
        "Twice,GOOD@example.org,en,",
        "Known,already@example.org,en,",
        "Klingon,k@example.org,tlh,",
        "Zone,zone@example.org,en,Mars/Olympus",
        "Nobody,,en,",
        "Spill,spill@example.org,en,,surplus",
      ].join("\n"),
    );
    expect(file.rows.map((row) => row.email)).toEqual(["good@example.org"]);
    expect(file.rows[0]).toMatchObject({ language: "en", timeZone: "Africa/Nairobi" });
    expect(file.errors).toEqual([
      { line: 3, problems: [{ code: "missingName" }] },
      { line: 4, problems: [{ code: "duplicateInFile", firstLine: 2 }] },
      { line: 5, problems: [{ code: "alreadyInSurvey" }] },
      { line: 6, problems: [{ code: "unknownLanguage", value: "tlh" }] },
      { line: 7, problems: [{ code: "invalidTimeZone", value: "Mars/Olympus" }] },
      { line: 8, problems: [{ code: "missingEmail" }] },
      { line: 9, problems: [{ code: "wrongFieldCount", found: 5, expected: 4 }] },
    ]);
    expect(file.total).toBe(8);
  });

  it("keeps right-to-left names and formula-looking cells as text (exports neutralise them)", async () => {
    const file = await parsed('name,email,region\nفاطمة الزهراء,fatima@example.org,=HYPERLINK("x")\n');
    expect(file.rows[0]).toMatchObject({ name: "فاطمة الزهراء", region: '=HYPERLINK("x")' });
  });

  it("refuses files it cannot read, saying why and where", async () => {
    expect(await parseText("")).toEqual({ ok: false, problem: { code: "empty" } });
    expect(await parseText("\uFEFF\r\n\r\n")).toEqual({ ok: false, problem: { code: "empty" } });
    expect(await parseText("name,region\nA,B\n")).toEqual({ ok: false, problem: { code: "missingColumns", columns: ["email"] } });
    expect(await parseText("name,email,mail\n")).toEqual({ ok: false, problem: { code: "duplicateColumn", column: "email" } });
    expect(await parseText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]))).toEqual({ ok: false, problem: { code: "binary" } });
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode("name,email\nAnna,a@example.org\n"),
      0x4a,
      0xe9,
      0x72,
      0x6f,
      0x6d,
      0x65,
      0x2c,
      0x6a,
      0x40,
      0x65,
      0x2e,
      0x6f,
      0x0a,
    ]);
    expect(await parseText(latin1)).toEqual({ ok: false, problem: { code: "notUtf8", line: 3 } });
    expect(await parseText('name,email\n"open quote,a@example.org\n')).toMatchObject({ ok: false, problem: { code: "malformed" } });
  });

  it("turns kilobytes of junk into row reports or one refusal, never an exception", async () => {
    let seed = 7;
    const junk = Array.from({ length: 50_000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(32 + (seed % 95));
    }).join("");
    const result = await parseText(`name,email\n${junk}`);
    if (result.ok) expect(result.file.rows).toEqual([]);
    else expect(["malformed", "missingColumns"]).toContain(result.problem.code);
  });

  it("matches header spellings and language codes leniently", () => {
    expect(normaliseHeader(" E-Mail Address ")).toBe("email");
    expect(normaliseHeader("Time zone")).toBe("timeZone");
    expect(normaliseHeader("unit or role")).toBe("unit");
    expect(normaliseHeader("favourite colour")).toBeNull();
    expect(matchLanguage("zh_Hans", context.languages)).toBe("zh");
    expect(matchLanguage("pt", context.languages)).toBeNull();
  });

  it("reports columns it ignores", async () => {
    const file = await parsed("name,email,favourite colour\nA,a@example.org,blue\n");
    expect(file.ignoredColumns).toEqual(["favourite colour"]);
    expect(file.rows).toHaveLength(1);
  });
});
