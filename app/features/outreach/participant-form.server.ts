import { z } from "zod";
import { CONTROL_CHARACTERS, MAX_FIELD_LENGTH } from "~/domain/participant-csv";
import type { ParticipantFields } from "~/models/participant.server";
import { emailTaken } from "~/models/participant.server";
import { isAvailableLanguage } from "~/platform/i18n.server";
import { parseForm, type FieldErrors } from "~/platform/forms.server";
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

const participantSchema = z.object({
  name: z
    .string({ error: "errors.field.required" })
    .trim()
    .min(1, "errors.field.required")
    .max(MAX_FIELD_LENGTH, "errors.field.tooLong")
    .refine(noControlCharacters, "errors.field.invalid"),
  email: z
    .string({ error: "errors.field.required" })
    .trim()
    .toLowerCase()
    .min(1, "errors.field.required")
    .pipe(z.email("staff:participants.errors.email")),
  language: z.string({ error: "errors.field.required" }).refine((code) => isAvailableLanguage(code), "staff:participants.errors.language"),
  region: optionalText,
  country: optionalText,
  unit: optionalText,
  timeZone: optionalText.refine((zone) => zone === null || isValidTimeZone(zone), "staff:participants.errors.timeZone"),
});

export const PARTICIPANT_FIELDS = ["name", "email", "language", "region", "country", "unit", "timeZone"] as const;

export type ParticipantFormResult = { ok: true; fields: ParticipantFields } | { ok: false; errors: FieldErrors; values: Record<string, string> };

export async function readParticipantForm(form: FormData, surveyId: string, exceptId?: string): Promise<ParticipantFormResult> {
  const values = Object.fromEntries(PARTICIPANT_FIELDS.map((field) => [field, String(form.get(field) ?? "").slice(0, 1000)]));
  const parsed = parseForm(participantSchema, form);
  if (!parsed.success) return { ok: false, errors: parsed.errors, values };
  if (await emailTaken(surveyId, parsed.data.email, exceptId)) {
    return { ok: false, errors: { email: ["staff:participants.errors.taken"] }, values };
  }
  return { ok: true, fields: parsed.data };
}
