#!/usr/bin/env node
// A status page that skips the body for HEAD requests, as the HTTP spec asks.
const body = JSON.stringify({ service: "billing", healthy: true, queue: 3 }) + "\n";

process.stdout.write("Content-Type: application/json\n");
process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\n`);
process.stdout.write("X-Service: billing\n\n");
if (process.env.REQUEST_METHOD !== "HEAD") process.stdout.write(body);
