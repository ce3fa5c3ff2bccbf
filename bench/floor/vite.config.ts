import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

// The framework's floor for bench/respondent.ts: a minimal Remix v2 app with
// nothing of Parley in it, built on its own (`remix vite:build bench/floor`).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [remix({ appDirectory: "app", buildDirectory: "build", future: { v3_singleFetch: true } })],
  build: { target: "es2022" },
});
