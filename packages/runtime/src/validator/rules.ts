/**
 * Who broke a rule: the server (the gateway that calls the application) or the application.
 *
 * @example
 * const blame: Party = violation.party; // "server" | "application"
 */
export type Party = "server" | "application";

interface RuleInfo {
  readonly party: Party;
  readonly summary: string;
}

/**
 * Every rule the validator checks, by stable id, with the party it binds and a one-line
 * summary of what it requires. Ids never change meaning; new rules get new ids.
 *
 * @example
 * CONTRACT_RULES["header-hop-by-hop"].party; // "application"
 */
export const CONTRACT_RULES = {
  "environ-not-object": { party: "server", summary: "environ is a plain object" },
  "environ-missing-key": {
    party: "server",
    summary:
      "REQUEST_METHOD, SCRIPT_NAME, PATH_INFO, QUERY_STRING, SERVER_NAME, SERVER_PORT, SERVER_PROTOCOL and the wsgi.* keys are present",
  },
  "environ-value-type": { party: "server", summary: "CGI values (keys without a dot) are strings" },
  "environ-forbidden-key": {
    party: "server",
    summary: "no HTTP_PROXY, HTTP_CONTENT_TYPE or HTTP_CONTENT_LENGTH",
  },
  "environ-request-method": { party: "server", summary: "REQUEST_METHOD is an HTTP token" },
  "environ-script-name": {
    party: "server",
    summary: 'SCRIPT_NAME is empty or starts with "/", and is never "/" alone',
  },
  "environ-empty-path": {
    party: "server",
    summary:
      'SCRIPT_NAME and PATH_INFO are not both empty (a request for the root has PATH_INFO "/")',
  },
  "environ-path-info": { party: "server", summary: 'PATH_INFO is empty or starts with "/"' },
  "environ-content-length": {
    party: "server",
    summary: "CONTENT_LENGTH, when present, is decimal digits",
  },
  "environ-content-type": { party: "server", summary: "CONTENT_TYPE, when present, is not empty" },
  "wsgi-version": { party: "server", summary: "wsgi.version is [1, 0]" },
  "wsgi-url-scheme": { party: "server", summary: 'wsgi.url_scheme is "http" or "https"' },
  "wsgi-input": {
    party: "server",
    summary: "wsgi.input has read, readline, readlines, length and sync and async iteration",
  },
  "wsgi-input-length": {
    party: "server",
    summary: "wsgi.input holds exactly CONTENT_LENGTH bytes when CONTENT_LENGTH is set",
  },
  "wsgi-errors": { party: "server", summary: "wsgi.errors has write, writelines and flush" },
  "wsgi-flags": {
    party: "server",
    summary: "wsgi.multithread, wsgi.multiprocess and wsgi.run_once are booleans",
  },
  "input-return-type": { party: "server", summary: "wsgi.input hands out Buffers" },
  "start-response-not-callable": { party: "server", summary: "start_response is a function" },
  "write-not-callable": { party: "server", summary: "start_response returns a write function" },
  "exc-info-not-reraised": {
    party: "server",
    summary: "start_response with excInfo after the body started rethrows excInfo",
  },
  "body-iterated-twice": { party: "server", summary: "the body is iterated at most once" },
  "next-while-pending": {
    party: "server",
    summary: "an async body's next() is not called again before the last one settled",
  },
  "iterate-after-close": { party: "server", summary: "no next() after close()" },
  "close-called-twice": { party: "server", summary: "close() (or return()) is called once" },
  "close-not-called": {
    party: "server",
    summary: "close() is called once the response is finished or abandoned",
  },
  "app-not-callable": { party: "application", summary: "the application is a function" },
  "status-format": {
    party: "application",
    summary: 'status is "NNN Reason": a code from 100 to 599, a space and a reason',
  },
  "headers-type": { party: "application", summary: "headers are an array of [string, string]" },
  "header-name": { party: "application", summary: "header names are tokens (RFC 9110)" },
  "header-value": { party: "application", summary: "header values hold no CR, LF or NUL" },
  "header-hop-by-hop": {
    party: "application",
    summary: "no hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding, ...)",
  },
  "header-status": { party: "application", summary: "no Status header: the status is an argument" },
  "header-content-length": {
    party: "application",
    summary: "Content-Length is decimal digits and given once",
  },
  "start-response-twice": {
    party: "application",
    summary: "start_response is called again only with excInfo",
  },
  "chunk-before-start-response": {
    party: "application",
    summary: "start_response is called before the first chunk",
  },
  "no-start-response": {
    party: "application",
    summary: "start_response is called before the body ends",
  },
  "chunk-type": { party: "application", summary: "chunks are strings or Uint8Arrays" },
  "write-after-finish": {
    party: "application",
    summary: "write() is not called after the body finished",
  },
  "body-not-iterable": {
    party: "application",
    summary: "the application returns an iterable or async iterable of chunks",
  },
  "content-length-mismatch": {
    party: "application",
    summary: "a body sent with Content-Length has exactly that many bytes",
  },
  "input-argument": {
    party: "application",
    summary: "wsgi.input's read, readline and readlines take an integer or nothing",
  },
  "errors-argument": {
    party: "application",
    summary: "wsgi.errors takes strings or Uint8Arrays",
  },
} as const satisfies Record<string, RuleInfo>;

/**
 * The id of one contract rule, such as `"status-format"`.
 *
 * @example
 * const rule: ContractRule = "close-not-called";
 */
export type ContractRule = keyof typeof CONTRACT_RULES;
