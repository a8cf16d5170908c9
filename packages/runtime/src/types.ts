/**
 * The application contract: PEP 3333's calling convention, adapted to JavaScript.
 *
 * Every gateway in this package (CGI, FastCGI, SCGI, AJP13, HTTP) calls an
 * {@link Application} with an {@link Environ} and a {@link StartResponse}, and sends what
 * it returns. Only types live here, so importing this file costs nothing at run time.
 */

/**
 * A piece of the response body. Strings are sent as UTF-8.
 *
 * @example
 * const chunks: Chunk[] = ["hello ", new TextEncoder().encode("world")];
 */
export type Chunk = Uint8Array | string;

/**
 * Response headers in order, repeated names allowed (for example `Set-Cookie`).
 *
 * @example
 * const headers: Headers = [["Content-Type", "text/plain"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]];
 */
export type Headers = Array<[name: string, value: string]>;

/**
 * The legacy imperative write path returned by `start_response`.
 *
 * @example
 * const write = start_response("200 OK", [["Content-Type", "text/plain"]]);
 * write("streamed before the body is returned\n");
 */
export type Write = (chunk: Chunk) => void;

/**
 * Begins the response. `status` is `"NNN Reason"`. It may be called again only with
 * `excInfo` (the error being handled): before headers are sent that replaces them, after
 * they are sent it rethrows `excInfo`.
 *
 * @example
 * const app: Application = (environ, start_response) => {
 *   start_response("404 Not Found", [["Content-Type", "text/plain"]]);
 *   return ["no such page\n"];
 * };
 */
export type StartResponse = (status: string, headers: Headers, excInfo?: unknown) => Write;

/**
 * What an application returns: any iterable of chunks, sync or async. If it has a `close()`
 * method (or is an iterator with `return()`), the server calls it exactly once.
 *
 * @example
 * async function* body(): AsyncGenerator<Chunk> {
 *   yield "first\n";
 *   yield "second\n";
 * }
 */
export type Body = Iterable<Chunk> | AsyncIterable<Chunk>;

/**
 * An application callable, the unit that `cgi2wsgi serve` mounts and the codemod produces.
 *
 * @example
 * export const application: Application = (environ, start_response) => {
 *   start_response("200 OK", [["Content-Type", "text/plain"]]);
 *   return [`Hello, ${environ.QUERY_STRING || "world"}!\n`];
 * };
 */
export type Application = (environ: Environ, start_response: StartResponse) => Body | Promise<Body>;

/**
 * `environ['wsgi.input']`: the request body, read in full by the server before the
 * application runs, so every read is synchronous and never waits on the network. It reaches
 * end of file at CONTENT_LENGTH.
 *
 * @example
 * const length = Number(environ.CONTENT_LENGTH || 0);
 * const form = new URLSearchParams(environ["wsgi.input"].read(length).toString("latin1"));
 */
export interface WsgiInput extends Iterable<Buffer>, AsyncIterable<Buffer> {
  /** Up to `size` bytes (all that is left when omitted or negative); empty at end of file. */
  read(size?: number): Buffer;
  /** One line including its `\n`, or at most `size` bytes of it. */
  readline(size?: number): Buffer;
  /** The remaining lines, stopping once their total passes `hint` when given. */
  readlines(hint?: number): Buffer[];
  /** Bytes in the whole body. */
  readonly length: number;
}

/**
 * `environ['wsgi.errors']`: text for the gateway's error stream (stderr under CGI,
 * FCGI_STDERR under FastCGI, the server log otherwise).
 *
 * @example
 * environ["wsgi.errors"].write("payment service slow: 2.3s\n");
 */
export interface WsgiErrors {
  write(text: string | Uint8Array): void;
  writelines(lines: Iterable<string | Uint8Array>): void;
  flush(): void;
}

/**
 * The request: the CGI meta-variables of RFC 3875 section 4.1 (all strings), what the front
 * server adds, and the `wsgi.*` keys.
 *
 * @example
 * const app: Application = (environ, start_response) => {
 *   const who = new URLSearchParams(environ.QUERY_STRING).get("name") ?? "stranger";
 *   start_response("200 OK", [["Content-Type", "text/plain"]]);
 *   return [`${environ.REQUEST_METHOD} from ${who}\n`];
 * };
 */
export interface Environ {
  REQUEST_METHOD: string;
  SCRIPT_NAME: string;
  PATH_INFO: string;
  QUERY_STRING: string;
  SERVER_NAME: string;
  SERVER_PORT: string;
  SERVER_PROTOCOL: string;
  CONTENT_TYPE?: string;
  CONTENT_LENGTH?: string;
  REMOTE_ADDR?: string;
  REMOTE_PORT?: string;
  REQUEST_URI?: string;
  DOCUMENT_ROOT?: string;
  HTTPS?: string;
  GATEWAY_INTERFACE?: string;
  SERVER_SOFTWARE?: string;
  /** Request headers, `HTTP_` plus the name upper-cased with `-` as `_`. */
  [header: `HTTP_${string}`]: string | undefined;
  "wsgi.version": readonly [1, 0];
  "wsgi.url_scheme": string;
  "wsgi.input": WsgiInput;
  "wsgi.errors": WsgiErrors;
  "wsgi.multithread": boolean;
  "wsgi.multiprocess": boolean;
  "wsgi.run_once": boolean;
  /** Anything else a front server or middleware adds. */
  [key: string]: unknown;
}

/**
 * Where a gateway sends a response: the seam between the shared response machinery
 * (`runApplication`) and one protocol's wire format. Implementations translate; they
 * never apply contract rules themselves.
 *
 * @example
 * const sink: ResponseSink = {
 *   sendHeaders: (status, headers) => console.log(status, headers),
 *   write: (chunk) => void process.stdout.write(chunk),
 *   end: () => {},
 *   abort: () => {},
 * };
 */
export interface ResponseSink {
  /** Sends the status line and headers, once, before any body byte. */
  sendHeaders(status: string, headers: Headers): void;
  /** Sends body bytes; returns `false` when the peer is slow and the caller should await `drain`. */
  write(chunk: Uint8Array): boolean | void;
  /** Resolves once the peer can take more (after `write` returned `false`). */
  drain?(): Promise<void>;
  /** Finishes a complete response. */
  end(): void;
  /** Breaks off a response whose headers were already sent (the client sees a truncated reply). */
  abort(reason?: unknown): void;
  /** Aborted when the client goes away; the response machinery then stops and calls `close()`. */
  readonly signal?: AbortSignal;
  /**
   * Instead of `signal`, for sinks that make theirs only on demand: calls `listener` once,
   * when the client goes away.
   */
  onGone?(listener: () => void): void;
}
