import { startServer, type RunningServer, type StartOptions } from "../../src/server/start.js";
import type { Application } from "../../src/types.js";

/**
 * Runs `test` against `app` served in this process on a loopback port, its log kept, and
 * closes the server afterwards whatever happens.
 *
 * @example
 * await withServer(app, { protocol: fastcgi(), requestTimeout: 300 }, async (server, logs) => { ... });
 */
export async function withServer(
  app: Application,
  options: Partial<StartOptions> & Pick<StartOptions, "protocol">,
  test: (server: RunningServer, logs: string[]) => Promise<void>,
): Promise<void> {
  const logs: string[] = [];
  const server = await startServer(app, {
    listen: "127.0.0.1:0",
    log: (text) => void logs.push(text),
    ...options,
  });
  try {
    await test(server, logs);
  } finally {
    await server.close(500);
  }
}

/**
 * Waits until `test` holds, checking every 20 ms; throws after `ms`.
 *
 * @example
 * await until(() => server.limiter.inFlight === 0);
 */
export async function until(
  test: () => boolean | Promise<boolean>,
  ms = 5000,
  detail: () => string = () => "",
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`condition not met in time ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
