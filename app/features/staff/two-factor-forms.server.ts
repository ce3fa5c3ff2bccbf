import { z } from "zod";
import { formText } from "~/platform/forms.server";

/** A six-digit code from the app or a recovery code (checked by two-factor.server.ts). */
const code = formText(z.string().trim().min(1, "security:errors.codeRequired").max(64, "security:errors.codeWrong"));

export const codeSchema = z.object({ code, next: z.string().optional() });

/** The account page's forms: which one was sent, and its code when it needs one. */
export const accountSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  z.object({ intent: z.literal("confirm"), code }),
  z.object({ intent: z.literal("disable"), code }),
  z.object({ intent: z.literal("renew"), code }),
]);
