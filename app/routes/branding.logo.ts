import type { LoaderFunctionArgs } from "@remix-run/node";
import { logoFile } from "~/features/branding/branding.server";

/**
 * The organisation's logo, for anyone (pages and emails show it). Served
 * with its stored type, never sniffed, and a policy that lets nothing run
 * should it be opened on its own. A URL with the current version (?v=) is
 * cached for a year; any other is revalidated with the ETag.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const logo = await logoFile();
  if (!logo) throw new Response("Not found", { status: 404, headers: { "Cache-Control": "no-cache" } });
  const etag = `"${logo.version}"`;
  const versioned = new URL(request.url).searchParams.get("v") === logo.version;
  const headers = {
    "Content-Type": logo.type,
    "Content-Disposition": "inline",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate",
    ETag: etag,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(logo.bytes), { headers: { ...headers, "Content-Length": String(logo.bytes.length) } });
}
