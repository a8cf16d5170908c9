import { errorPage } from "../core/error-page.js";
import { plainAnswer } from "../server/stuck-watch.js";
import type { Protocol } from "../server/types.js";
import { DEFAULT_PACKET_SIZE } from "./constants.js";
import { handleAjpConnection, type AjpOptions } from "./handler.js";
import { encodeBodyChunks, encodeEndResponse, encodeSendHeaders } from "./response.js";

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
    timeoutAnswer: timeoutAnswer(options.packetSize ?? DEFAULT_PACKET_SIZE),
    handleConnection: (socket, context) => handleAjpConnection(socket, context, options),
  };
}

/**
 * The 504 a stuck worker's watchdog writes: SEND_HEADERS, the page and END_RESPONSE without
 * reuse, so the web server does not keep the connection.
 */
function timeoutAnswer(packetSize: number) {
  const page = errorPage("504 Gateway Timeout");
  return plainAnswer(
    encodeSendHeaders(page.status, page.headers, packetSize),
    encodeBodyChunks(page.body, packetSize),
    encodeEndResponse(false),
  );
}
