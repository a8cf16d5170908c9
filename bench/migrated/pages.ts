// The pages the migrated-script benchmark serves: each as a legacy CGI script (migrated
// from it by the codemod at bench time, in whatever form migrate gives), in the cgiProcess
// form, and written by hand as an application giving the same bytes. Both pages print the
// same HTML list of name = value pairs.

const ESCAPE = `function escapeHtml(text) {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
`;

/** A script's statements printing the page for the pairs in `pairs`, one line per log. */
const printList = (
  title: string,
  pairs: string,
) => `console.log("Content-Type: text/html; charset=utf-8");
console.log("");
console.log("<!doctype html><title>${title}</title><ul>");
for (const [name, value] of ${pairs}) {
  console.log("<li>" + escapeHtml(name) + " = " + escapeHtml(value) + "</li>");
}
console.log("</ul>");
`;

/** A hand-written application printing the same page from `pairs` (read after `setup`). */
const handList = (title: string, setup: string, pairs: string) => `${ESCAPE}
exports.application = (environ, start_response) => {
  ${setup}
  let page = "<!doctype html><title>${title}</title><ul>\\n";
  for (const [name, value] of ${pairs}) {
    page += "<li>" + escapeHtml(name) + " = " + escapeHtml(value) + "</li>\\n";
  }
  start_response("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
  return [page + "</ul>\\n"];
};
`;

const ECHO = `${ESCAPE}
const params = new URLSearchParams(process.env.QUERY_STRING || "");
${printList("echo", "params")}`;

const POST = `${ESCAPE}
let body = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  body += chunk;
});
process.stdin.on("end", () => {
  const form = new URLSearchParams(body);
  ${printList("posted", "form")}});
`;

/** Synchronous: echoes the query string as an HTML list, one console.log per line. */
export const LEGACY_ECHO = `#!/usr/bin/env node\n${ECHO}`;

/** Reads a form POST through process.stdin 'data' and 'end' events, echoes it the same way. */
export const LEGACY_POST = `#!/usr/bin/env node\n${POST}`;

/**
 * A script that is always running somewhere while the neighbour is measured: it answers
 * after a timer, so some cgiProcess request is in flight the whole time.
 */
export const LEGACY_SLOW = `#!/usr/bin/env node
setTimeout(() => {
  console.log("Content-Type: text/plain\\n");
  console.log("late");
}, 100);
`;

/** LEGACY_ECHO written by hand: the same bytes. */
export const HAND_ECHO = handList("echo", "", 'new URLSearchParams(environ.QUERY_STRING || "")');

/** LEGACY_POST written by hand: the body read from wsgi.input at once. */
export const HAND_POST = handList(
  "posted",
  'const form = new URLSearchParams(environ["wsgi.input"].read().toString("utf8"));',
  "form",
);

/** The query string and the POST body every request sends. */
export const QUERY = "name=Ada+Lovelace&lang=en&q=%3Cscript%3E&x=1&y=2";
export const FORM = "name=Ada+Lovelace&comment=%3Cb%3Ehi%3C%2Fb%3E+%26+bye&tags=a&tags=b";

// A script in the form migrate gave every script before it could prove some synchronous,
// and still gives those with dynamic headers or asynchronous work: the code inside
// cgiProcess, process.env and process.stdin replaced by the request's own.
const cgiProcessForm = (
  io: string,
  script: string,
) => `const { cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ ${io} }) => {
${script.replaceAll("process.env", "environ").replaceAll("process.stdin", "stdin")}
  });
};
`;

/** LEGACY_ECHO in the cgiProcess form. */
export const CGIPROCESS_ECHO = cgiProcessForm("console", ECHO);

/** LEGACY_POST in the cgiProcess form: stdin a stream, its events through the tracker. */
export const CGIPROCESS_POST = cgiProcessForm("stdin, console", POST);
