import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file holds its own PGlite (~350 MB): two at a time fit the 2-core machine.
    pool: "forks",
    maxWorkers: 2,
  },
});
