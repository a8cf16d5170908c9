import type { Protocol } from "../server/types.js";
import { handleAjpConnection, type AjpOptions } from "./handler.js";

/**
 * AJP13 as a {@link Protocol} of the shared server: listening, workers, limits and lifecycle
 * come from the server; this only speaks AJP13 on each connection.
 *
 * @example
 * const protocol = ajp13Protocol({ mount: "/app", secret: process.env.AJP_SECRET });
 * // handed to the server that `cgi2wsgi serve --protocol ajp13` starts
 */
export function ajp13Protocol(options: AjpOptions = {}): Protocol {
  return {
    name: "ajp13",
    handleConnection: (socket, context) => handleAjpConnection(socket, context, options),
  };
}
