#!/usr/bin/env node
// Prints a footer from an 'exit' handler, so it comes last whatever path the script took.
var started = "page";
process.on("exit", function () {
  process.stdout.write("<!-- footer for " + started + " -->\n");
});

process.stdout.write("Content-Type: text/html\n\n");
process.stdout.write("<p>body</p>\n");
if (process.env.QUERY_STRING === "early") process.exit(0);
process.stdout.write("<p>more body</p>\n");
