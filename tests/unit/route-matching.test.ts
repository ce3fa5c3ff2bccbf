import { createRequire } from "node:module";
import type { AgnosticRouteObject } from "@remix-run/router";
import { describe, expect, it } from "vitest";

// The server's copy, which the patch changes (an import here would load the browser build, which it does not).
const { matchRoutes } = createRequire(import.meta.url)("@remix-run/router") as typeof import("@remix-run/router");

/**
 * The router is patched (patches/): it keeps each route tree's ranked
 * branches, and tries a branch whose path starts with a literal segment only
 * for paths that start with that segment. These are the cases that skipping
 * could get wrong: letter case, parameters and splats first, the root,
 * case-sensitive routes, encoded segments, a basename.
 */
const routes: AgnosticRouteObject[] = [
  {
    id: "root",
    path: "",
    children: [
      { id: "home", index: true },
      {
        id: "staff",
        path: "staff",
        children: [
          { id: "staff-index", index: true },
          { id: "staff-login", path: "login" },
        ],
      },
      { id: "forum", path: "forums/:slug" },
      { id: "survey", path: "s/:token/*" },
      { id: "exact", path: "Exact", caseSensitive: true },
      { id: "optional", path: "help?/faq" },
      { id: "page", path: ":page" },
      { id: "fallback", path: "*" },
    ],
  },
];

const matched = (path: string, basename?: string) => matchRoutes(routes, path, basename)?.map((match) => match.route.id) ?? null;

describe("route matching with the patched router", () => {
  it("finds literal paths in any letter case, with or without a trailing slash", () => {
    expect(matched("/staff/login")).toEqual(["root", "staff", "staff-login"]);
    expect(matched("/STAFF/Login/")).toEqual(["root", "staff", "staff-login"]);
    expect(matched("/staff")).toEqual(["root", "staff", "staff-index"]);
    expect(matched("/")).toEqual(["root", "home"]);
  });

  it("gives parameters and splats their values, decoded", () => {
    const forum = matchRoutes(routes, "/forums/open%20forum")!;
    expect(forum.map((match) => match.route.id)).toEqual(["root", "forum"]);
    expect(forum.at(-1)!.params).toEqual({ slug: "open forum" });
    const survey = matchRoutes(routes, "/s/abc/section/2")!;
    expect(survey.at(-1)!.params).toEqual({ token: "abc", "*": "section/2" });
  });

  it("falls through to parameter and splat routes for every other first segment", () => {
    expect(matched("/forums")).toEqual(["root", "page"]);
    expect(matched("/staffing")).toEqual(["root", "page"]);
    expect(matched("/staff/unknown")).toEqual(["root", "fallback"]);
    expect(matched("/%73taff/login")).toEqual(["root", "staff", "staff-login"]);
  });

  it("keeps case-sensitive routes and optional segments as they were", () => {
    expect(matched("/Exact")).toEqual(["root", "exact"]);
    expect(matched("/exact")).toEqual(["root", "page"]);
    expect(matched("/help/faq")).toEqual(["root", "optional"]);
    expect(matched("/faq")).toEqual(["root", "optional"]);
  });

  it("matches under a basename, and nothing outside it", () => {
    expect(matched("/app/staff/login", "/app")).toEqual(["root", "staff", "staff-login"]);
    expect(matched("/other/staff/login", "/app")).toBeNull();
  });
});
