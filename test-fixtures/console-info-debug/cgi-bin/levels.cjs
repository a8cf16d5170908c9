#!/usr/bin/env node
// console.info and console.debug write to stdout; console.dir prints with util.inspect.
console.info("Content-Type: text/plain");
console.debug("");
console.info("info %s", "line");
console.debug("debug %d", 42);
console.dir({ nested: { list: [1, 2, 3] }, flag: true });
console.warn("this goes to stderr");
