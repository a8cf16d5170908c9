// The scripts the CGI host benchmark serves: one legacy Node script (the case the project
// exists for), its hand-migrated form, and a shell script (cheap to start, so what is left
// is the host's own cost per request).

export const LEGACY_NODE = `#!/usr/bin/env node
const name = new URLSearchParams(process.env.QUERY_STRING).get("name") || "world";
console.log("Content-Type: text/plain\\n");
console.log("Hello, " + name + "!");
`;

export const MIGRATED_NODE = `exports.application = (environ, start_response) => {
  const name = new URLSearchParams(environ.QUERY_STRING).get("name") || "world";
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["Hello, " + name + "!\\n"];
};
`;

export const LEGACY_SHELL = `#!/bin/sh
printf 'Content-Type: text/plain\\n\\nHello, world!\\n'
`;
