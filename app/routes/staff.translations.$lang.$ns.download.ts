import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/features/staff/auth.server";
import { fileForDownload } from "~/features/translations/translations.server";

/** A namespace file for a translator: English, or the language's file with the gaps filled in English and marked. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, "translations.edit");
  const file = await fileForDownload(params.lang ?? "", params.ns ?? "");
  if (!file) throw new Response("Not found", { status: 404 });
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
