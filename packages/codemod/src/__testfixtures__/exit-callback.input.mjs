#!/usr/bin/env node
// process.exit() from a helper and from a timer: nothing after it may run.
function die(status, message) {
  console.log(`Status: ${status}\nContent-Type: text/plain\n\n${message}`);
  process.exit(0);
}

const id = new URLSearchParams(process.env.QUERY_STRING).get("id");
if (!id) die("400 Bad Request", "id is required");

process.stdout.write("Content-Type: text/plain\n\n");
setTimeout(() => {
  process.stdout.write(`record ${id}\n`);
  process.exit();
}, 5);
setTimeout(() => process.stdout.write("never sent\n"), 30);
