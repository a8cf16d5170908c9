import { defineConfig } from "vitest/config";

const resolve = { conditions: ["cgi2wsgi-source", "import", "default"] };
// Projects do not inherit the root's ssr options, and tests run in the ssr environment:
// without this, importing a workspace package (@cgi2wsgi/runtime) from another fails.
const ssr = {
  resolve: { conditions: resolve.conditions, externalConditions: ["cgi2wsgi-source"] },
};

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "packages/*/scripts/**/*.test.ts"],
        },
      },
      {
        resolve,
        ssr,
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
