import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { insertAccessToken } from "~/models/access-token.server";
import { sessionSecret } from "~/platform/env.server";

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

/**
 * The unsubscribe link of invitations and reminders: the participant's id
 * (a UUID, 16 bytes) and an HMAC of it under a key derived from the session
 * secret, 16 bytes, base64url (43 characters). Nothing is stored, so the link
 * of every earlier email keeps working, and it can do one thing only: opt
 * that participant out of mailings. It opens no survey.
 */
const UNSUBSCRIBE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function unsubscribeMac(id: Buffer): Buffer {
  const key = createHmac("sha256", sessionSecret()).update("parley-unsubscribe-v1").digest();
  return createHmac("sha256", key).update(id).digest().subarray(0, 16);
}

export function unsubscribeToken(participantId: string): string {
  if (!UUID_PATTERN.test(participantId)) throw new Error("unsubscribeToken: participant ids are UUIDs");
  const id = Buffer.from(participantId.replaceAll("-", ""), "hex");
  return Buffer.concat([id, unsubscribeMac(id)]).toString("base64url");
}

/** The participant id an unsubscribe token was made for, or null for anything forged, altered or malformed. */
export function participantOfUnsubscribeToken(token: string): string | null {
  if (!UNSUBSCRIBE_PATTERN.test(token)) return null;
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length !== 32) return null;
  const id = bytes.subarray(0, 16);
  if (!timingSafeEqual(bytes.subarray(16), unsubscribeMac(id))) return null;
  const hex = id.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
