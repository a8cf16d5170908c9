import { parse } from "@babel/parser";
import type { ExpressionStatement } from "@babel/types";
import { describe, expect, it } from "vitest";
import { knownBytes, throwFree, topScope } from "./throw-free.js";

/** Whether the expression of the script's last statement is shown throw-free there. */
function lastIsFree(source: string, check = throwFree): boolean {
  const ast = parse(source, { sourceType: "module" });
  const last = ast.program.body.at(-1) as ExpressionStatement;
  return check(last.expression, topScope(ast.program), last.start!);
}

describe("throwFree", () => {
  it.each([
    ['"a" + 1 + `b${2}`'],
    ["var who = 'x'; 'Hello, ' + who"],
    ["process.env.QUERY_STRING || 'none'"],
    ["const env = process.env; env.HTTP_HOST"],
    ["const p = new URLSearchParams(process.env.QUERY_STRING); (p.get('n') ?? 'w').toUpperCase()"],
    ["const p = new URLSearchParams(''); p.getAll('t').join('|')"],
    ["var items = ['a']; items.push('b'); items.join(', ') + items.length"],
    ["function esc(s) { return String(s).replace(/&/g, '&amp;'); } esc(process.env.X)"],
    ["function show(env) { return env.A + (env.B || '-'); } show(process.env)"],
    ["var s = ''; for (var i = 0; i < 3; i++) s += i; s.trim()"],
    ["const t = require('fs').readFileSync(0, 'utf8'); JSON.stringify({ t, n: t.length })"],
    ["globalThis.hits + ' ' + global.last"],
  ])("shows %s throw-free", (source) => {
    expect(lastIsFree(source)).toBe(true);
  });

  it.each([
    ["user.name", "an undeclared name"],
    ["var user = lookup(); user.name", "a property of an unknown value"],
    ["var s = 'x'; s = null; s.trim()", "a string variable assigned again"],
    ["function f() { return undefined.x; } f()", "a function that throws"],
    ["function g(o) { return o.x; } g({})", "a parameter of unknown value"],
    ["JSON.stringify(value)", "JSON.stringify of anything"],
    ["'abc'.replace('a', () => boom())", "a replacement function"],
    ["'abc'.replaceAll(/a/, 'b')", "replaceAll with a non-global RegExp"],
    ["'abc'.includes(/a/)", "a RegExp where a string is expected"],
    ["1 in obj", "the in operator"],
  ])("does not show %s throw-free (%s)", (source) => {
    expect(lastIsFree(source)).toBe(false);
  });

  it("does not count a const read before its declaration has run", () => {
    const ast = parse("x + 1; const x = 'late';", { sourceType: "module" });
    const first = ast.program.body[0] as ExpressionStatement;
    expect(throwFree(first.expression, topScope(ast.program), first.start!)).toBe(false);
  });
});

describe("knownBytes", () => {
  it.each([
    ['Buffer.from("abc", "latin1")', true],
    ["Buffer.from([1, 2, 3])", true],
    ['("text")', true],
    ['Buffer.from("abc", "klingon")', false],
    ["Buffer.from(value)", false],
    ["42", false],
  ])("%s: %s", (source, expected) => {
    expect(lastIsFree(source, knownBytes as typeof throwFree)).toBe(expected);
  });
});
