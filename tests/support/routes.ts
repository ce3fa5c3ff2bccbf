// The routes of the built server (build/server/index.js), as the fuzz and
// permission tests walk them: every route the app declares, none forgotten.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface BuiltRoute {
  id: string;
  path?: string;
  parentId?: string;
  index?: boolean;
  module: { loader?: unknown; action?: unknown; default?: unknown };
}

export interface RouteInfo {
  id: string;
  /** The full pattern, e.g. /s/:token/section/:key */
  pattern: string;
  index: boolean;
  hasLoader: boolean;
  hasAction: boolean;
  /** A page (it renders), rather than a resource route (a download, JSON). */
  hasComponent: boolean;
  staff: boolean;
}

/** Every route of the built server (build/server/index.js), with its full path. */
export async function builtRoutes(): Promise<RouteInfo[]> {
  const build = (await import(pathToFileURL(resolve("build/server/index.js")).href)) as { routes: Record<string, BuiltRoute> };
  const full = (id: string): string => {
    const route = build.routes[id]!;
    const parent = route.parentId ? full(route.parentId) : "";
    return route.path ? `${parent}/${route.path}` : parent;
  };
  return Object.values(build.routes)
    .filter((route) => route.id !== "root")
    .map((route) => {
      const pattern = full(route.id) || "/";
      return {
        id: route.id,
        pattern,
        index: !!route.index,
        hasLoader: typeof route.module.loader === "function",
        hasAction: typeof route.module.action === "function",
        hasComponent: typeof route.module.default === "function",
        // Pages behind the staff sign-in: the staff layout and its children (routes/staff.*).
        // The public staff_.* routes (signing in, its second step, signing out) are for anyone.
        staff: route.id === "routes/staff" || route.id.startsWith("routes/staff."),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}
