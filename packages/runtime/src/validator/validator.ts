import type { Application, Body, Environ } from "../types.js";
import { wrapBody, type BodyObserver } from "./body-wrapper.js";
import { checkEnviron } from "./environ-check.js";
import { ContractViolationError, describe, type ContractViolation, type Report } from "./errors.js";
import { Exchange } from "./exchange.js";
import { ValidatedErrors, ValidatedInput } from "./stream-wrappers.js";

/** How the validator reports. */
export interface ValidatorOptions {
  /**
   * Receives each violation instead of the default, which throws it as a
   * {@link ContractViolationError} where it was found. A violation the application catches
   * and ignores is thrown again when its body ends; one found later (a `close()` never
   * called) is thrown from a timer, an uncaught error that fails a test run.
   */
  onViolation?: (violation: ContractViolation) => void;
  /** Milliseconds a server may take, after a body ended, to call `close()`. Default 1000. */
  closeTimeout?: number;
}

const DEFAULT_CLOSE_TIMEOUT = 1000;

/**
 * Middleware that checks both sides of the application contract, as Python's
 * `wsgiref.validate` and Rack::Lint do: the environ and `start_response` the server passes
 * in, the status, headers and body the application hands back, the use of `write()`,
 * `wsgi.input` and `wsgi.errors`, and the server's iteration and `close()`. Each broken
 * rule is a {@link ContractViolationError} naming the rule (see {@link CONTRACT_RULES}).
 * A well-behaved pair sees no difference: the same status, headers and bytes go through.
 *
 * @example
 * import { validator } from "@cgi2wsgi/runtime";
 * export const application = validator((environ, start_response) => {
 *   start_response("200 OK", [["Content-Type", "text/plain"]]);
 *   return ["hello\n"];
 * });
 */
export function validator(app: Application, options: ValidatorOptions = {}): Application {
  const onViolation = options.onViolation ?? throwViolation;
  if (typeof app !== "function") {
    onViolation(
      new ContractViolationError(
        "app-not-callable",
        `validator() got ${describe(app)}; pass the application function`,
      ),
    );
  }
  const closeTimeout = options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT;

  return (environ, start_response) => {
    // A violation thrown at an application that catches and ignores it is thrown again
    // when its body ends, so that a try/catch cannot silence the validator.
    let swallowed: { error: unknown } | undefined;
    const report: Report = (rule, detail) => {
      try {
        onViolation(new ContractViolationError(rule, detail));
      } catch (error) {
        swallowed ??= { error };
        throw error;
      }
    };
    checkEnviron(environ, report);
    if (typeof start_response !== "function") {
      report(
        "start-response-not-callable",
        `start_response is ${describe(start_response)}; pass a function`,
      );
    }
    const exchange = new Exchange(start_response, report, environ?.REQUEST_METHOD === "HEAD");
    const observer: BodyObserver = {
      chunk: (value) => exchange.chunk(value),
      finish: () => exchange.finish(),
      end: () => {
        exchange.end();
        if (swallowed) throw swallowed.error;
      },
    };
    const result = app(wrapEnviron(environ, report), exchange.startResponse);
    const watch = { report, closeTimeout };
    if (isThenable(result)) return result.then((body) => wrapBody(body, observer, watch));
    return wrapBody(result, observer, watch);
  };
}

function throwViolation(violation: ContractViolation): never {
  throw violation;
}

/** A copy of the environ with checked `wsgi.input` and `wsgi.errors`; the server's stays as it was. */
function wrapEnviron(environ: Environ, report: Report): Environ {
  if (typeof environ !== "object" || environ === null) return environ;
  const copy: Environ = { ...environ };
  const input = environ["wsgi.input"];
  if (typeof input === "object" && input !== null)
    copy["wsgi.input"] = new ValidatedInput(input, report);
  const errors = environ["wsgi.errors"];
  if (typeof errors === "object" && errors !== null)
    copy["wsgi.errors"] = new ValidatedErrors(errors, report);
  return copy;
}

function isThenable(value: unknown): value is PromiseLike<Body> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}
