#!/usr/bin/env node
// Routes as a table of [method, pattern, handler], the "micro framework" every team wrote.
const routes = [
  ["GET", /^\/health$/, () => ({ status: "200 OK", body: { ok: true } })],
  ["GET", /^\/users\/([a-z]+)$/, (m) => ({ status: "200 OK", body: { user: m[1] } })],
  [
    "DELETE",
    /^\/users\/([a-z]+)$/,
    (m) => ({ status: "403 Forbidden", body: { error: `cannot delete ${m[1]}` } }),
  ],
];

function dispatch(method, path) {
  let pathMatched = false;
  for (const [m, pattern, handler] of routes) {
    const match = pattern.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (m === method) return handler(match);
  }
  return pathMatched
    ? { status: "405 Method Not Allowed", body: { error: "method" } }
    : { status: "404 Not Found", body: { error: "not found" } };
}

const result = dispatch(process.env.REQUEST_METHOD, process.env.PATH_INFO || "/");
const text = JSON.stringify(result.body);
process.stdout.write(
  `Status: ${result.status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
);
