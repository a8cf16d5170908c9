#!/usr/bin/env node
// Strict CRLF header block, one write per header, body in several writes and encodings.
process.stdout.write("Content-Type: text/plain; charset=utf-8\r\n");
process.stdout.write("X-Frame-Options: DENY\r\n");
process.stdout.write("\r\n");
process.stdout.write("caf\u00e9 ");
process.stdout.write(Buffer.from("\u2603 snowman "));
process.stdout.write("48656c6c6f0a", "hex");
process.stdout.write("YmFzZTY0IHRvbwo=", "base64");
