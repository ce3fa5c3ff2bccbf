import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [remix(remixConfig)],
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  build: {
    // The generated Prisma client and the database drivers stay outside the
    // bundle: they are loaded from node_modules at run time.
    target: "es2022",
    // Pages' own scripts (`?url` imports: the survey pages', the results page's) stay files: inlined as data:
    // addresses, a strict Content-Security-Policy would have to allow scripts from data: too.
    assetsInlineLimit: (file) => (file.endsWith(".js") ? false : undefined),
  },
  ssr: {
    external: ["better-sqlite3", "pg", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg"],
  },
});
