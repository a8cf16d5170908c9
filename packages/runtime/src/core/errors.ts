/**
 * Errors of the response machinery, one class per failure, each with a stable `code`.
 */

/**
 * The request body is larger than the configured limit: the gateway answers 413 and the
 * application is not called.
 *
 * @example
 * try { collector.push(chunk); } catch (e) { if (e instanceof RequestTooLargeError) answer413(); }
 */
export class RequestTooLargeError extends Error {
  readonly code = "ERR_BODY_TOO_LARGE";
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`request body exceeds the ${limit}-byte limit; raise it with --max-body BYTES`);
    this.name = "RequestTooLargeError";
  }
}

/**
 * The application broke the response contract (a bad status or header, a second
 * `start_response` without `excInfo`, a body chunk before `start_response`, ...). Reported on
 * `wsgi.errors`; the client gets a 500, never the bad value.
 *
 * @example
 * throw new ResponseContractError("ERR_INVALID_STATUS", 'status "ok" must look like "200 OK"');
 */
export class ResponseContractError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ResponseContractError";
  }
}
