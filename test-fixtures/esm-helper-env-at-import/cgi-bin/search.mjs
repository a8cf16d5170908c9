#!/usr/bin/env node
import { method, query } from "../lib/request.mjs";

process.stdout.write("Content-Type: text/plain\n\n");
process.stdout.write(`${method} q=${query.get("q") ?? "-"}\n`);
