#!/usr/bin/env node
// Beacon endpoint: 204 with no Content-Type and no body; unknown verbs get 501.
if (process.env.REQUEST_METHOD === "POST" || process.env.REQUEST_METHOD === "GET") {
  process.stdout.write("Status: 204 No Content\n\n");
} else {
  process.stdout.write("Status: 501\nContent-Type: text/plain\n\nnot implemented\n");
}
