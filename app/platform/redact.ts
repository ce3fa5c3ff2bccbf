/**
 * Paths that carry a secret (personalised survey links, forum cancellation,
 * unsubscribe and review links) with the secret replaced, for logs and error
 * reports.
 */
const SECRET_SEGMENTS = /\/(s|forums\/cancel|unsubscribe|review)\/[^/?#]+/gi;

export function redactPath(path: string): string {
  // The router matches case-insensitively and after percent-decoding, so
  // "/S/<token>" and "/%73/<token>" reach the survey too: redact the decoded form.
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // Malformed encoding: redact what is there.
  }
  // decodeURI leaves "%2F" alone, and a path may travel inside a query
  // (React's route discovery asks /__manifest?p=%2Funsubscribe%2F<token>).
  decoded = decoded.replace(/%2f/gi, "/");
  return decoded.replace(SECRET_SEGMENTS, "/$1/[redacted]").replace(/([?&](token|key|back)=)[^&#]*/gi, "$1[redacted]");
}
