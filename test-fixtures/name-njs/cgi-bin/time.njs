#!/usr/bin/env node
// time.njs: answers JSON about the request (no clock: the tests compare bytes).
var out = {
  method: process.env.REQUEST_METHOD,
  agent: process.env.HTTP_USER_AGENT || null,
  path: process.env.PATH_INFO || "/",
};
process.stdout.write("Content-Type: application/json\r\n\r\n");
process.stdout.write(JSON.stringify(out));
