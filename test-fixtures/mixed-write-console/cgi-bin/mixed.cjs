#!/usr/bin/env node
// Headers with process.stdout.write, body with console.log and back: order must hold.
process.stdout.write("Content-Type: text/plain\r\n");
console.log("X-Mixed: yes\r");
process.stdout.write("\r\n");
console.log("one");
process.stdout.write("two\n");
console.log("three %o", [3]);
process.stdout.write(Buffer.from("four\n"));
