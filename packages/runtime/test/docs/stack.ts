import { describeConformance } from "../conformance/suite.js";
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
 * `started` as it goes, so a failure half-way still stops and removes everything.
 *
 * @example
 * describeDocumented("nginx FastCGI", async (started) => {
 *   started.runtime = await startDocumentedServer(...);
 *   started.front = await startNginxSnippet(...);
 * });
 */
export function describeDocumented(name: string, setup: (started: Started) => Promise<void>): void {
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
    { timing: true },
  );
}
