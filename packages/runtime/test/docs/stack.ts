import { afterAll, beforeAll, expect } from "vitest";
import { describeConformance, type ConformanceOptions } from "../conformance/suite.js";
import type { FrontServer, ManagedProcess } from "../support/index.js";
import { stopAll } from "./runtime.js";

/** What a documented stack's setup started, for cleanup in reverse order. */
export interface Started {
  front?: FrontServer;
  runtime?: ManagedProcess;
  dirs: string[];
}

/**
 * Runs the shared conformance suite through a front server started from a docs snippet,
 * mounted at `/app` as every example in docs/deploy.md is. `setup` records what it starts in
 * `started` as it goes, so a failure half-way still stops and removes everything. The suite's
 * streaming-timing check runs through every stack unless `options` turn it off for a front
 * server that cannot stream (docs/deploy.md says which and why).
 *
 * @example
 * describeDocumented("nginx FastCGI", async (started) => {
 *   started.runtime = await startDocumentedServer(...);
 *   started.front = await startNginxSnippet(...);
 * });
 */
export function describeDocumented(
  name: string,
  setup: (started: Started) => Promise<void>,
  options: ConformanceOptions = { timing: true },
): void {
  const scriptName = "/app";
  describeConformance(
    `docs/deploy.md: ${name}`,
    async () => {
      const started: Started = { dirs: [] };
      const close = () => stopAll([started.front, started.runtime], started.dirs);
      try {
        await setup(started);
      } catch (error) {
        await close();
        throw error;
      }
      return { baseUrl: `${started.front!.baseUrl}${scriptName}`, scriptName, close };
    },
    options,
  );
}

/** A documented stack for a describe block's own tests, available once `beforeAll` ran. */
export interface DocumentedStack {
  started: Started;
  /** The front server's URL for `/app`. */
  base: string;
  /** The substitutions the stack was started with (ports, temp dirs). */
  values: Record<string, string>;
}

/**
 * Starts a documented stack before the current describe block's tests and stops it after
 * them, for stacks that get targeted tests instead of (or beside) the whole suite. `setup`
 * records what it starts in `started` and returns the substituted values.
 *
 * @example
 * const stack = useDocumented(async (started) => {
 *   const values = await serveDocumented("http-serve", "8000", started);
 *   started.front = await startLighttpdSnippet(snippet("http-lighttpd", values));
 *   return values;
 * });
 * it("answers", async () => expect((await fetch(`${stack.base}/hello`)).ok).toBe(true));
 */
export function useDocumented(
  setup: (started: Started) => Promise<Record<string, string>>,
): DocumentedStack {
  const stack: DocumentedStack = { started: { dirs: [] }, base: "", values: {} };
  beforeAll(async () => {
    stack.values = await setup(stack.started);
    stack.base = `${stack.started.front!.baseUrl}/app`;
  });
  afterAll(() => stopAll([stack.started.front, stack.started.runtime], stack.started.dirs));
  return stack;
}

/**
 * The suite's path check on its own: SCRIPT_NAME `/app`, PATH_INFO decoded, the query raw.
 *
 * @example
 * it("splits the path at the mount", () => expectMountSplit(stack.base));
 */
export async function expectMountSplit(base: string): Promise<void> {
  const res = await fetch(`${base}/environ/x%20y?a=1&b=%20c`);
  const environ = (await res.json()) as Record<string, unknown>;
  expect(environ.SCRIPT_NAME).toBe("/app");
  expect(environ.PATH_INFO).toBe("/environ/x y");
  expect(environ.QUERY_STRING).toBe("a=1&b=%20c");
}
