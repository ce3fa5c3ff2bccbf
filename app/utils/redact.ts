/**
 * Paths that carry a secret (personalised survey links, forum cancellation
 * links) with the secret replaced, for logs and error reports.
 */
const SECRET_SEGMENTS = /\/(s|forums\/cancel)\/[^/?#]+/g;

export function redactPath(path: string): string {
  return path.replace(SECRET_SEGMENTS, "/$1/[redacted]").replace(/([?&](token|key|back)=)[^&#]*/gi, "$1[redacted]");
}
