import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/features/staff/auth.server";
import { exportOverrides } from "~/features/translations/translations.server";

/** Every translation made in the browser, as a zip of locales/ to unzip at the repository's root and commit. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "translations.edit");
  const file = await exportOverrides();
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
