/** Reads one cookie value from a request without a cookie library round-trip. */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(separator + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** A long-lived preference cookie (language, time zone): not secret, readable by JS. */
export function preferenceCookie(name: string, value: string, secure: boolean): string {
  return [`${name}=${encodeURIComponent(value)}`, "Path=/", `Max-Age=${ONE_YEAR_SECONDS}`, "SameSite=Lax", ...(secure ? ["Secure"] : [])].join("; ");
}
