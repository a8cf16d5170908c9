#!/usr/bin/env node
// The `cgi2wsgi` command. `#main` is the built CLI (dist/main.js); inside this repository
// `pnpm cgi2wsgi` runs node with the `cgi2wsgi-source` condition and tsx, which maps it to
// the TypeScript sources instead, so no build step is needed there.
import { main } from "#main";

process.exitCode = await main(process.argv.slice(2));
