#!/usr/bin/env node
// Binary data kept in a "binary" (latin1) string, as in pre-Buffer code.
var bytes = "";
for (var i = 0; i < 256; i += 15) bytes += String.fromCharCode(i);
process.stdout.write("Content-Type: application/octet-stream\n\n");
process.stdout.write(bytes, "binary");
process.stdout.write(Buffer.from(bytes, "latin1").toString("base64") + "\n", "ascii");
