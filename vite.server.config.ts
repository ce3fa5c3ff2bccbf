import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * Compiles server.ts (Express in front of the Remix build) to plain
 * JavaScript in build/node/, so production runs `node build/node/server.js`
 * with no TypeScript loader in the process: the loader's hooks run in a
 * thread of their own (a second JavaScript heap), which cost about 100 MiB of
 * resident memory per instance and slowed every start. Packages stay in
 * node_modules, as for the app's own build.
 */
export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  build: {
    ssr: "server.ts",
    outDir: "build/node",
    emptyOutDir: true,
    target: "node20",
    minify: false,
    copyPublicDir: false,
  },
  logLevel: "warn",
});
