#!/usr/bin/env node
// process.exit() inside a promise chain, after the answer; the later timer must not print.
const find = (id) =>
  new Promise((resolve) => setTimeout(() => resolve(id === "7" ? "seven" : null), 5));

find(new URLSearchParams(process.env.QUERY_STRING).get("id"))
  .then((name) => {
    process.stdout.write("Content-Type: text/plain\n\n");
    process.stdout.write(name ? `found ${name}\n` : "not found\n");
    if (!name) process.exit(0);
    return name;
  })
  .then((name) => process.stdout.write(`still here for ${name}\n`));

setTimeout(() => process.stdout.write("late timer\n"), 30);
