import { createRequire } from "node:module";
import type * as BabelParser from "@babel/parser";

/**
 * Babel's `parse`, loaded with `require()`. The package is CommonJS in one 500 KB file: an ES
 * module `import` of it makes Node scan that file with its CommonJS export lexer on every
 * start, which cost `cgi2wsgi lint` on one file about 0.2 s of CPU, more than parsing does.
 */
export const { parse } = createRequire(import.meta.url)("@babel/parser") as typeof BabelParser;
