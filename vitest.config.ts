import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Separate from vite.config.ts: the Remix plugin is not wanted in tests.
export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    // Child processes rather than worker threads: native modules
    // (better-sqlite3) and the schema engine's WebAssembly are safer there.
    pool: "forks",
  },
});
