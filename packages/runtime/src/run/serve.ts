import { ajp13 } from "../ajp13/protocol.js";
import { fastcgi, type ErrorsTarget } from "../fastcgi/protocol.js";
import { httpProtocol } from "../http/protocol.js";
import { scgi } from "../scgi/protocol.js";
import type { Protocol } from "../server/types.js";

/**
 * The socket protocols by name, each given the mount prefix (its SCRIPT_NAME) and where
 * `wsgi.errors` goes (only FastCGI carries it to the front server; the others always log it).
 */
export const SOCKET_PROTOCOLS: Record<
  string,
  (mount: string | undefined, errors?: ErrorsTarget) => Protocol
> = {
  http: (mount) => httpProtocol({ mount }),
  fastcgi: (mount, errors) => fastcgi({ mount, errors }),
  scgi: (mount) => scgi({ mount }),
  ajp13: (mount) => ajp13({ mount }),
};

/** A protocol name that {@link SOCKET_PROTOCOLS} does not know. */
export class UnknownProtocolError extends Error {
  readonly code = "ERR_UNKNOWN_PROTOCOL";
  constructor(name: string) {
    super(`unknown protocol ${JSON.stringify(name)}; use http, fastcgi, scgi, ajp13 or cgi`);
    this.name = "UnknownProtocolError";
  }
}

/**
 * The protocol handler for a name of {@link SOCKET_PROTOCOLS}.
 *
 * @example
 * await serve(application, { protocol: protocolByName("scgi", "/app"), listen: ":4000" });
 * protocolByName("fastcgi", undefined, "local"); // wsgi.errors to stderr, not FCGI_STDERR
 */
export function protocolByName(name: string, mount?: string, errors?: ErrorsTarget): Protocol {
  const make = SOCKET_PROTOCOLS[name];
  if (!make) throw new UnknownProtocolError(name);
  return make(mount, errors);
}
