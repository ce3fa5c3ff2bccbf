import { z } from "zod";
import { CONTROL_CHARACTERS, MAX_FIELD_LENGTH } from "~/domain/participant-csv";
import type { ParticipantFields } from "~/models/participant.server";
import { emailTaken } from "~/models/participant.server";
import { isAvailableLanguage } from "~/platform/i18n.server";
import type { FormSubmission } from "~/platform/forms.server";
import { isValidTimeZone } from "~/platform/time-zone";

/** One participant added or edited by hand: the same rules as a CSV row, invisible control characters included (PostgreSQL cannot store a NUL). */
const noControlCharacters = (value: string) => !CONTROL_CHARACTERS.test(value);

const optionalText = z
  .string()
  .trim()
  .max(MAX_FIELD_LENGTH, "errors.field.tooLong")
  .refine(noControlCharacters, "errors.field.invalid")
  .optional()
  .transform((value) => value || null);

/**
 * Invalid email, language or time zone read "This value is not valid.": the
 * page shows only errors.field.* keys for what the schema checks (until now
 * parseForm turned these fields' staff:participants.errors.* messages into
 * exactly that), so the answer stays as it was.
 */
export const participantSchema = z.object({
  name: z
    .string({ error: "errors.field.required" })
    .trim()
    .min(1, "errors.field.required")
    .max(MAX_FIELD_LENGTH, "errors.field.tooLong")
    .refine(noControlCharacters, "errors.field.invalid"),
  email: z.string({ error: "errors.field.required" }).trim().toLowerCase().min(1, "errors.field.required").pipe(z.email("errors.field.invalid")),
  language: z.string({ error: "errors.field.required" }).refine((code) => isAvailableLanguage(code), "errors.field.invalid"),
  region: optionalText,
  country: optionalText,
  unit: optionalText,
  timeZone: optionalText.refine((zone) => zone === null || isValidTimeZone(zone), "errors.field.invalid"),
});

export const PARTICIPANT_FIELDS = ["name", "email", "language", "region", "country", "unit", "timeZone"] as const;

/**
 * The uniqueness rule the schema cannot check: one email address once per
 * survey (exceptId: the participant being edited).
 */
export async function checkParticipant(fields: ParticipantFields, surveyId: string, exceptId?: string): Promise<FormSubmission<ParticipantFields>> {
  if (await emailTaken(surveyId, fields.email, exceptId)) return { ok: false, errors: { email: ["staff:participants.errors.taken"] } };
  return { ok: true, values: fields };
}
