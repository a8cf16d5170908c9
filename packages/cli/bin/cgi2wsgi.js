#!/usr/bin/env node
// Runs the CLI from its TypeScript sources: `pnpm cgi2wsgi` starts node with tsx and the
// `source` export condition, so no build step is needed inside the workspace.
import { main } from "../src/main.js";

process.exitCode = await main(process.argv.slice(2));
