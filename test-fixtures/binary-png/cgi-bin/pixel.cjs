#!/usr/bin/env node
// A 1x1 tracking pixel: a binary body written as a Buffer.
var zlib = require("zlib");

function crc32(buf) {
  var c,
    crc = 0xffffffff;
  for (var n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  var len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  var td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  var crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

var params = new URLSearchParams(process.env.QUERY_STRING || "");
var rgb = [255, 0, 0];
if (params.get("color") === "green") rgb = [0, 255, 0];

var ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
var raw = Buffer.from([0].concat(rgb));
var png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", ihdr),
  chunk("IDAT", zlib.deflateSync(raw)),
  chunk("IEND", Buffer.alloc(0)),
]);

process.stdout.write("Content-Type: image/png\r\n");
process.stdout.write("Content-Length: " + png.length + "\r\n");
process.stdout.write("Cache-Control: no-cache\r\n\r\n");
process.stdout.write(png);
