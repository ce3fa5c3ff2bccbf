/**
 * Paths that carry a secret (personalised survey links, forum cancellation
 * and unsubscribe links) with the secret replaced, for logs and error reports.
 */
const SECRET_SEGMENTS = /\/(s|forums\/cancel|unsubscribe)\/[^/?#]+/gi;

export function redactPath(path: string): string {
  // The router matches case-insensitively and after percent-decoding, so
  // "/S/<token>" and "/%73/<token>" reach the survey too: redact the decoded form.
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // Malformed encoding: redact what is there.
  }
  return decoded.replace(SECRET_SEGMENTS, "/$1/[redacted]").replace(/([?&](token|key|back)=)[^&#]*/gi, "$1[redacted]");
}
