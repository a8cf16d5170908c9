import type { CaseRequest } from "./types.js";

/**
 * The requests `cgi2wsgi verify` sends when no `--cases` file is given: a GET with and
 * without a query, a form POST, a JSON POST and a HEAD, enough to walk the usual branches of
 * a CGI script.
 *
 * @example
 * const report = await verifyPair(legacy, migrated, defaultCases());
 */
export function defaultCases(): CaseRequest[] {
  return [
    { name: "GET", method: "GET" },
    { name: "GET with a query", method: "GET", query: "q=test&page=2&name=Ada" },
    {
      name: "form POST",
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=Ada+Lovelace&email=ada%40example.org&message=hello",
    },
    {
      name: "JSON POST",
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"name":"Ada","numbers":[1,2,3]}',
    },
    { name: "HEAD", method: "HEAD" },
  ];
}
