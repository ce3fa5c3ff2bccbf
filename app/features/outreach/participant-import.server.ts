import { unstable_parseMultipartFormData } from "@remix-run/node";
import { parseParticipantFile, type FileProblem, type ParticipantFileResult } from "~/domain/participant-csv";
import { existingEmails, stageImport } from "~/models/participant.server";
import { availableLanguages } from "~/platform/i18n.server";
import { discardBody } from "~/platform/forms.server";

/** Large enough for 50,000 participants with long names; anything bigger is not a participant list. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export type UploadOutcome =
  { ok: true; stagedId: string } | { ok: false; status: number; problem: FileProblem | { code: "tooLarge"; maxMegabytes: number } | { code: "noFile" } };

class UploadTooLarge extends Error {}

/** Counts bytes as they stream in and stops the upload at the cap. */
async function* capped(data: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let received = 0;
  for await (const chunk of data) {
    received += chunk.length;
    if (received > maxBytes) throw new UploadTooLarge();
    yield chunk;
  }
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** Keeps a display name only: no path, no control characters. */
function cleanFileName(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop()!.replace(CONTROL_CHARACTERS, "").trim();
  return base.slice(0, 200) || "participants.csv";
}

/**
 * Reads an uploaded participant list straight from the request stream into
 * the CSV parser (nothing is buffered whole), checks every row, and keeps the
 * result for the preview.
 */
export async function receiveParticipantUpload(request: Request, survey: { id: string; defaultLanguage: string }, staffUserId: string): Promise<UploadOutcome> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = { ok: false as const, status: 413, problem: { code: "tooLarge" as const, maxMegabytes: MAX_UPLOAD_BYTES / 1024 / 1024 } };
  if (declared > MAX_UPLOAD_BYTES + 64 * 1024) {
    await discardBody(request);
    return tooLarge;
  }
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) return { ok: false, status: 400, problem: { code: "noFile" } };

  const context = {
    languages: availableLanguages().map((language) => language.code),
    defaultLanguage: survey.defaultLanguage,
    existingEmails: await existingEmails(survey.id),
  };
  let result: ParticipantFileResult | null = null;
  let fileName = "";
  try {
    await unstable_parseMultipartFormData(request, async (part) => {
      if (part.name !== "file" || result) {
        for await (const chunk of part.data) void chunk; // drain parts we do not use
        return undefined;
      }
      fileName = cleanFileName(part.filename);
      result = await parseParticipantFile(capped(part.data, MAX_UPLOAD_BYTES), context);
      return undefined;
    });
  } catch (error) {
    if (error instanceof UploadTooLarge) return tooLarge;
    // A malformed multipart body is the client's mistake.
    return { ok: false, status: 400, problem: { code: "noFile" } };
  }
  const parsed = result as ParticipantFileResult | null;
  if (!parsed) return { ok: false, status: 400, problem: { code: "noFile" } };
  if (!parsed.ok) return { ok: false, status: 422, problem: parsed.problem };
  return { ok: true, stagedId: await stageImport(survey.id, staffUserId, fileName, parsed.file) };
}
