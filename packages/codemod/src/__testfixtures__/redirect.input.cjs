#!/usr/bin/env node
// A bare Location: the CGI server answers 302.
process.stdout.write("Location: https://example.org/new\r\n\r\n");
