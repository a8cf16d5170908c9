#!/usr/bin/env node
// process members taken apart by destructuring, then used under their short names.
const { stdout, env, exit } = process;
const { write } = { write: (text) => stdout.write(text) };

write("Content-Type: text/plain\n\n");
write(`method ${env.REQUEST_METHOD}\n`);
if (env.QUERY_STRING === "stop") exit(0);
write(`query ${env.QUERY_STRING || "-"}\n`);
