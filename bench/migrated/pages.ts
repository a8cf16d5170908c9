// The pages the migrated-script benchmark serves, each in three forms: the legacy CGI script,
// (migrated from it by the codemod at bench time, in whatever form migrate gives) and the
// same page written by hand as an application giving the same bytes.

const ESCAPE = `function escapeHtml(text) {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
`;

/** Synchronous: echoes the query string as an HTML list, one console.log per line. */
export const LEGACY_ECHO = `#!/usr/bin/env node
${ESCAPE}
const params = new URLSearchParams(process.env.QUERY_STRING || "");
console.log("Content-Type: text/html; charset=utf-8");
console.log("");
console.log("<!doctype html><title>echo</title><ul>");
for (const [name, value] of params) {
  console.log("<li>" + escapeHtml(name) + " = " + escapeHtml(value) + "</li>");
}
console.log("</ul>");
`;

/** Reads a form POST through process.stdin 'data' and 'end' events, echoes it the same way. */
export const LEGACY_POST = `#!/usr/bin/env node
${ESCAPE}
let body = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  body += chunk;
});
process.stdin.on("end", () => {
  const form = new URLSearchParams(body);
  console.log("Content-Type: text/html; charset=utf-8");
  console.log("");
  console.log("<!doctype html><title>posted</title><ul>");
  for (const [name, value] of form) {
    console.log("<li>" + escapeHtml(name) + " = " + escapeHtml(value) + "</li>");
  }
  console.log("</ul>");
});
`;

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
export const HAND_ECHO = `${ESCAPE}
exports.application = (environ, start_response) => {
  let page = "<!doctype html><title>echo</title><ul>\\n";
  for (const [name, value] of new URLSearchParams(environ.QUERY_STRING || "")) {
    page += "<li>" + escapeHtml(name) + " = " + escapeHtml(value) + "</li>\\n";
  }
  start_response("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
  return [page + "</ul>\\n"];
};
`;

/** LEGACY_POST written by hand: the body read from wsgi.input at once. */
export const HAND_POST = `${ESCAPE}
exports.application = (environ, start_response) => {
  const form = new URLSearchParams(environ["wsgi.input"].read().toString("utf8"));
  let page = "<!doctype html><title>posted</title><ul>\\n";
  for (const [name, value] of form) {
    page += "<li>" + escapeHtml(name) + " = " + escapeHtml(value) + "</li>\\n";
  }
  start_response("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
  return [page + "</ul>\\n"];
};
`;

/** The query string and the POST body every request sends. */
export const QUERY = "name=Ada+Lovelace&lang=en&q=%3Cscript%3E&x=1&y=2";
export const FORM = "name=Ada+Lovelace&comment=%3Cb%3Ehi%3C%2Fb%3E+%26+bye&tags=a&tags=b";

/**
 * LEGACY_ECHO as migrate gave it before it could prove such a script synchronous: the
 * cgiProcess form, which is still what scripts with dynamic headers or async work get.
 */
export const CGIPROCESS_ECHO = `const { cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ console }) => {
    ${ESCAPE}
    const params = new URLSearchParams(environ.QUERY_STRING || "");
    console.log("Content-Type: text/html; charset=utf-8");
    console.log("");
    console.log("<!doctype html><title>echo</title><ul>");
    for (const [name, value] of params) {
      console.log("<li>" + escapeHtml(name) + " = " + escapeHtml(value) + "</li>");
    }
    console.log("</ul>");
  });
};
`;

/** LEGACY_POST in the cgiProcess form: stdin a stream, its events through the tracker. */
export const CGIPROCESS_POST = `const { cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ stdin, console }) => {
    ${ESCAPE}
    let body = "";
    stdin.setEncoding("utf8");
    stdin.on("data", (chunk) => {
      body += chunk;
    });
    stdin.on("end", () => {
      const form = new URLSearchParams(body);
      console.log("Content-Type: text/html; charset=utf-8");
      console.log("");
      console.log("<!doctype html><title>posted</title><ul>");
      for (const [name, value] of form) {
        console.log("<li>" + escapeHtml(name) + " = " + escapeHtml(value) + "</li>");
      }
      console.log("</ul>");
    });
  });
};
`;
