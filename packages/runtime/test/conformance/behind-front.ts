import type { FrontServer } from "../support/index.js";
import type { ConformanceTarget } from "./suite.js";

/**
 * The conformance target for a gateway that already listens, with a front server started in
 * front of it: the application is reached at `front.baseUrl + scriptName`. If the front
 * server fails to start, `stopGateway` runs before the error propagates, so a failed setup
 * leaves nothing running; `close()` stops the front server first, then the gateway.
 *
 * @example
 * const gateway = await listen((socket) => handleScgiConnection(socket, context));
 * return behindFront(
 *   () => startNginx({ upstream: { kind: "scgi", backend: { host: "127.0.0.1", port: gateway.port } } }),
 *   "",
 *   () => gateway.close(),
 * );
 */
export async function behindFront(
  startFront: () => Promise<FrontServer>,
  scriptName: string,
  stopGateway: () => Promise<void>,
): Promise<ConformanceTarget> {
  const front = await startFront().catch(async (error: unknown) => {
    await stopGateway();
    throw error;
  });
  return {
    baseUrl: front.baseUrl + scriptName,
    scriptName,
    async close() {
      await front.close();
      await stopGateway();
    },
  };
}
