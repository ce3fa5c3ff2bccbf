import { ping } from "~/models/database.server";

/** For load balancers: 200 only when the database answers. */
export async function loader() {
  try {
    await ping();
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "database unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
