import { ajp13, fastcgi, httpProtocol, scgi, type Protocol } from "@cgi2wsgi/runtime";

/** The protocols `serve` speaks over a socket (CGI is one request, with no socket). */
export const SOCKET_PROTOCOLS: Record<string, (mount: string | undefined) => Protocol> = {
  http: (mount) => httpProtocol({ mount }),
  fastcgi: () => fastcgi(),
  scgi: (mount) => scgi({ mount }),
  ajp13: (mount) => ajp13({ mount }),
};
