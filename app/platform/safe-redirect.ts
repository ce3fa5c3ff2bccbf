/**
 * Only same-site paths: "//evil.example" and "/\\evil.example" are treated by
 * browsers as other hosts, so an open redirect would let a phishing link
 * borrow our address.
 */
export function safeRedirectPath(target: string | null | undefined, fallback = "/"): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  // Control characters (tabs, newlines) are stripped by browsers from URLs, turning "/\t/evil" into "//evil".
  if ([...target].some((character) => character.charCodeAt(0) < 0x20)) return fallback;
  return target;
}
