import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endStaffSession } from "~/features/staff/auth.server";

export async function action({ request }: ActionFunctionArgs) {
  return endStaffSession(request);
}

/** Logging out changes state, so it is a POST; a stray GET just goes home. */
export function loader() {
  return redirect("/staff");
}
