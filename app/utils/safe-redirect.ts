/**
 * Only same-site paths: "//evil.example" and "/\\evil.example" are treated by
 * browsers as other hosts, so an open redirect would let a phishing link
 * borrow our address.
 */
export function safeRedirectPath(target: string | null | undefined, fallback = "/"): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f]/.test(target)) return fallback;
  return target;
}
