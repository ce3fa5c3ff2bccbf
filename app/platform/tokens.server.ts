import { createHash, randomBytes } from "node:crypto";
import { insertAccessToken } from "~/models/access-token.server";

/**
 * Personalised links. A token is 128 bits from the operating system's
 * CSPRNG, base64url so it fits a URL untouched. Only its SHA-256 is stored:
 * for a random 128-bit secret a fast hash is enough (there is nothing to
 * brute-force), and a leaked database yields no working links. Lookups go
 * through the unique index on the hash, so no string comparison of secrets
 * happens in our code to leak timing.
 */
const TOKEN_BYTES = 16;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The key under which an anonymous survey's draft is kept: a second hash of
 * the raw token with its own tag, so the stored token hash does not lead to
 * it; only the person holding the link can find the draft.
 */
export function resumeKeyHash(token: string): string {
  return createHash("sha256").update(`parley-resume:${token}`, "utf8").digest("hex");
}

export function looksLikeToken(candidate: string): boolean {
  return TOKEN_PATTERN.test(candidate);
}

/** Creates a new link for a participant; the raw token is returned once and never stored. */
export async function issueToken(participantId: string): Promise<string> {
  const token = generateToken();
  await insertAccessToken(participantId, hashToken(token));
  return token;
}
