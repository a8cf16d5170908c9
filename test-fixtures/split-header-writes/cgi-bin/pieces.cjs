#!/usr/bin/env node
// The header block arrives in odd pieces: mid-name, mid-line, the blank line split from the body.
var out = process.stdout;
out.write("Content-Ty");
out.write("pe: text/pl");
out.write("ain\r");
out.write("\nX-Pieces: ");
out.write(String(5));
out.write("\n");
out.write("\nbody ");
out.write(new Uint8Array([0x6f, 0x6b, 0x0a]));
