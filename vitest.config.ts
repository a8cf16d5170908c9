import { defineConfig } from "vitest/config";

const resolve = { conditions: ["source", "import", "default"] };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: resolve.conditions, externalConditions: ["source"] } },
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts"],
        },
      },
      {
        resolve,
        test: {
          name: "integration",
          include: ["packages/*/test/**/*.test.ts", "test-fixtures/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
