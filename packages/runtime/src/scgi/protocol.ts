import { errorPage } from "../core/error-page.js";
import { formatCgiHead } from "../core/headers.js";
import { plainAnswer } from "../server/stuck-watch.js";
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
    timeoutAnswer: TIMEOUT_ANSWER,
    handleConnection: (socket, context) => handleScgiConnection(socket, context, options),
  };
}

const TIMEOUT_PAGE = errorPage("504 Gateway Timeout");
/** The 504 a stuck worker's watchdog writes; the connection ends with the worker. */
const TIMEOUT_ANSWER = plainAnswer(
  formatCgiHead(TIMEOUT_PAGE.status, TIMEOUT_PAGE.headers),
  TIMEOUT_PAGE.body,
);
