import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Browser suites poll the page; on a busy two-core CI machine a re-render can take seconds.
    expect: { poll: { timeout: 10_000 } },
  },
});
