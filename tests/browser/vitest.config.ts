import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The browser suite: Debian's chromium driven by playwright-core against the
// built server. Run by `npm run test:browser` (CI's last step).
export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("../../app", import.meta.url)) },
  },
  test: {
    root: fileURLToPath(new URL("../../", import.meta.url)),
    include: ["tests/browser/**/*.test.ts"],
    pool: "forks",
    // One browser at a time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
