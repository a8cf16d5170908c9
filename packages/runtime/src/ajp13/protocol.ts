import type { Protocol } from "../server/types.js";
import { handleAjpConnection, type AjpOptions } from "./handler.js";

/**
 * AJP13 as a {@link Protocol} of the shared server: listening, workers, limits and lifecycle
 * come from the server; this only speaks AJP13 on each connection.
 *
 * @example
 * const running = await startServer(application, {
 *   protocol: ajp13({ mount: "/app", secret: process.env.AJP_SECRET }),
 *   listen: "127.0.0.1:8009",
 * });
 */
export function ajp13(options: AjpOptions = {}): Protocol {
  return {
    name: "ajp13",
    handleConnection: (socket, context) => handleAjpConnection(socket, context, options),
  };
}
