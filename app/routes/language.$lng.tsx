import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { LANGUAGE_COOKIE } from "~/platform/i18n";
import { isAvailableLanguage } from "~/platform/i18n.server";
import { preferenceCookie } from "~/platform/cookies.server";
import { safeRedirectPath } from "~/platform/safe-redirect";

/** Remembers the chosen language and returns to the page the visitor was on. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!isAvailableLanguage(params.lng)) throw new Response("Unknown language", { status: 404 });
  const back = safeRedirectPath(new URL(request.url).searchParams.get("back"));
  const secure = new URL(request.url).protocol === "https:";
  return redirect(back, { headers: { "Set-Cookie": preferenceCookie(LANGUAGE_COOKIE, params.lng, secure) } });
}
