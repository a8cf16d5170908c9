/**
 * Why a CGI script's output could not be turned into a response. Stable values, so callers
 * (a gateway's log, `cgi2wsgi verify`) can tell the cases apart without parsing messages.
 */
export type CgiOutputProblem =
  | "no-output"
  | "no-headers"
  | "unterminated-headers"
  | "malformed-header"
  | "invalid-status"
  | "headers-too-large";

/**
 * A CGI script printed something a CGI server cannot turn into a response (RFC 3875
 * section 6): a front server answers 502 Bad Gateway, and so do our gateways.
 *
 * @example
 * try {
 *   parseCgiResponse(Buffer.from("hello\n"));
 * } catch (error) {
 *   if (error instanceof CgiOutputError) console.log(error.status, error.problem); // 502 "unterminated-headers"
 * }
 */
export class CgiOutputError extends Error {
  readonly code = "ERR_CGI_OUTPUT";
  /** The HTTP status a gateway answers in place of the script's output. */
  readonly status = 502;

  constructor(
    readonly problem: CgiOutputProblem,
    message: string,
    /** The offending bytes (a header line, or the start of the output), for the log. */
    readonly bytes: Buffer = Buffer.alloc(0),
  ) {
    super(message);
    this.name = "CgiOutputError";
  }
}

/**
 * `CgiHeaderParser.execute()` was called again after it had returned the header block: from
 * then on the script's output is body, to be passed on as it is.
 *
 * @example
 * const result = parser.execute(chunk);
 * if (result) forwardBody(result.body); // later chunks go to forwardBody too, not to execute()
 */
export class CgiParserStateError extends Error {
  readonly code = "ERR_CGI_PARSER_DONE";

  constructor() {
    super("the CGI header block is already complete; send later output straight to the body");
    this.name = "CgiParserStateError";
  }
}
