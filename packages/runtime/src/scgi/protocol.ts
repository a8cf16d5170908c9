import type { Protocol } from "../server/types.js";
import { handleScgiConnection, type ScgiOptions } from "./handler.js";

/**
 * SCGI as a {@link Protocol} of the shared server: listening, workers, limits and lifecycle
 * come from the server; this only speaks SCGI on each connection.
 *
 * @example
 * const running = await startServer(application, { protocol: scgi({ mount: "/app" }), listen: ":4000" });
 */
export function scgi(options: ScgiOptions = {}): Protocol {
  return {
    name: "scgi",
    handleConnection: (socket, context) => handleScgiConnection(socket, context, options),
  };
}
