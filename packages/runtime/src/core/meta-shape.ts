import type { CgiMeta } from "./environ.js";
import { FORBIDDEN_KEYS, WSGI_KEYS } from "./environ-keys.js";

/** Makes one request's meta object from the values of a known list of names. */
type Maker = (values: readonly string[]) => CgiMeta;

interface Shape {
  names: string[];
  make: Maker;
}

// A front server sends the variables of its configuration in the same order on every
// request, so a handful of shapes covers a process's whole life; a peer inventing names
// gets the slow path, not an unbounded cache of compiled functions.
const MAX_SHAPES = 16;
const shapes: Shape[] = [];
let compiling = true;
const keptNames: string[] = [];
const keptValues: string[] = [];
const headerAt: number[] = [];
const FORBIDDEN = new Set<string>(FORBIDDEN_KEYS);

/**
 * Makes the meta object of one request from its variables (`count` pairs of `names` and
 * `values`; the front server's own variables first, then the `HTTP_*` request headers, each
 * in arrival order), leaving out what the environ's hygiene would delete (the
 * {@link FORBIDDEN_KEYS}, empty CONTENT_TYPE and CONTENT_LENGTH; and `__proto__`, which a
 * plain assignment drops too, and `wsgi.*` names, which the environ sets itself), so that
 * {@link adoptEnviron} can turn it into the environ without deleting anything.
 *
 * Why not `meta[name] = value` in a loop: V8 turns an object filled by computed keys into a
 * hash table after a dozen properties, which costs more than twice as much to build as the
 * rest of a small request's variables and six times the memory. Here each list of
 * (non-header) names seen gets a function, compiled once, holding one object literal with
 * those names as quoted keys, and the `wsgi.*` keys so that setting them later keeps the
 * layout: V8 lays such an object out with its properties in place. Names are embedded with
 * `JSON.stringify`, so they cannot be read as code. Without code generation (Node's
 * `--disallow-code-generation-from-strings`) or beyond 16 shapes, the loop is used and the
 * result is the same.
 *
 * @example
 * metaFromPairs(["REQUEST_METHOD", "CONTENT_TYPE"], ["GET", ""], 2); // { REQUEST_METHOD: "GET" }
 */
export function metaFromPairs(
  names: readonly string[],
  values: readonly string[],
  count: number,
): CgiMeta {
  let kept = 0;
  let headers = 0;
  for (let i = 0; i < count; i++) {
    const name = names[i]!;
    const value = values[i]!;
    if (dropped(name, value)) continue;
    if (name.startsWith("HTTP_")) {
      headerAt[headers++] = i;
      continue;
    }
    keptNames[kept] = name;
    keptValues[kept] = value;
    kept++;
  }
  const shape = findShape(kept) ?? addShape(kept);
  let meta: CgiMeta;
  if (shape) meta = shape.make(keptValues);
  else {
    meta = {};
    for (let i = 0; i < kept; i++) meta[keptNames[i]!] = keptValues[i]!;
  }
  // Request headers vary with each client, so they are not part of a shape: V8 keeps the
  // object's layout for a few dozen added this way.
  for (let h = 0; h < headers; h++) {
    const i = headerAt[h]!;
    meta[names[i]!] = values[i]!;
  }
  return meta;
}

function dropped(name: string, value: string): boolean {
  if (name === "CONTENT_TYPE" || name === "CONTENT_LENGTH") return value === "";
  // __proto__ is not a CGI name, and in an object literal it would set the prototype; the
  // environ sets every wsgi.* key itself, whatever a peer sent by that name.
  return FORBIDDEN.has(name) || name === "__proto__" || name.startsWith("wsgi.");
}

function findShape(count: number): Shape | undefined {
  for (let s = 0; s < shapes.length; s++) {
    const shape = shapes[s]!;
    if (shape.names.length !== count) continue;
    let same = true;
    for (let i = 0; i < count; i++) {
      if (shape.names[i] !== keptNames[i]) {
        same = false;
        break;
      }
    }
    if (!same) continue;
    // The shape in use moves to the front, where the next request looks first.
    if (s > 0) {
      shapes.splice(s, 1);
      shapes.unshift(shape);
    }
    return shape;
  }
  return undefined;
}

function addShape(count: number): Shape | undefined {
  if (!compiling || shapes.length >= MAX_SHAPES) return undefined;
  const names = keptNames.slice(0, count);
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`);
  for (const key of WSGI_KEYS) fields.push(`${JSON.stringify(key)}: undefined`);
  let make: Maker;
  try {
    make = new Function("v", `"use strict"; return { ${fields.join(", ")} };`) as Maker;
  } catch {
    compiling = false; // code generation from strings is disallowed in this process
    return undefined;
  }
  const shape = { names, make };
  shapes.unshift(shape);
  return shape;
}
