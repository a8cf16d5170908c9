import { FastCgiProtocolError, excerpt } from "./errors.js";

/**
 * Name-value pairs as sent in PARAMS, GET_VALUES and GET_VALUES_RESULT records.
 *
 * @example
 * const pairs: Pairs = decodeParams(content); // { FCGI_MAX_CONNS: "" }
 */
export type Pairs = Record<string, string>;

/**
 * Encodes name-value pairs (section 3.4): lengths below 128 take one byte, others four
 * with the high bit set. Strings are taken as latin1, byte for byte, as CGI variables are.
 *
 * @example
 * encodeParams([["REQUEST_METHOD", "GET"], ["QUERY_STRING", ""]]);
 */
export function encodeParams(pairs: Iterable<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of pairs) {
    const n = Buffer.from(name, "latin1");
    const v = Buffer.from(value, "latin1");
    parts.push(encodeLength(n.length), encodeLength(v.length), n, v);
  }
  return Buffer.concat(parts);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((length | 0x80000000) >>> 0);
  return out;
}

/**
 * Decodes a complete PARAMS (or GET_VALUES) stream, all its records joined, into an object.
 * Names and values are latin1 strings, as PEP 3333 carries bytes in native strings.
 * A pair cut off before its end throws {@link FastCgiProtocolError}.
 *
 * @example
 * decodeParams(encodeParams([["A", "1"]])); // { A: "1" }
 */
export function decodeParams(bytes: Buffer): Pairs {
  return decodeParamsText(bytes.toString("latin1"));
}

/**
 * {@link decodeParams} over the stream already decoded as latin1, where character `i` is
 * byte `i`: the records of a request can then be joined as strings as they arrive, and each
 * name and value is a cheap slice instead of a native decode of its own.
 *
 * @example
 * decodeParamsText(encodeParams([["A", "1"]]).toString("latin1")); // { A: "1" }
 */
export function decodeParamsText(text: string): Pairs {
  const names: string[] = [];
  const values: string[] = [];
  const count = decodePairs(text, names, values);
  const pairs: Pairs = {};
  for (let i = 0; i < count; i++) pairs[names[i]!] = values[i]!;
  return pairs;
}

/**
 * Decodes a complete PARAMS stream held as latin1 into `names` and `values`, pair `i` at
 * index `i`, and returns how many pairs there are (the arrays may be longer, left over from
 * an earlier call: callers reuse them). A pair cut off before its end throws
 * {@link FastCgiProtocolError}.
 *
 * @example
 * const names: string[] = [], values: string[] = [];
 * decodePairs(encodeParams([["A", "1"]]).toString("latin1"), names, values); // 1
 */
export function decodePairs(text: string, names: string[], values: string[]): number {
  const end = text.length;
  let at = 0;
  let index = 0;
  while (at < end) {
    const start = at;
    let nameLength = text.charCodeAt(at);
    if (nameLength & 0x80) {
      if (at + 4 > end) throw truncated(text, start);
      nameLength = length4(text, at);
      at += 4;
    } else at += 1;
    if (at >= end) throw truncated(text, start);
    let valueLength = text.charCodeAt(at);
    if (valueLength & 0x80) {
      if (at + 4 > end) throw truncated(text, start);
      valueLength = length4(text, at);
      at += 4;
    } else at += 1;
    if (at + nameLength + valueLength > end) throw truncated(text, start);
    // Front servers send the same names in the same order on every request. A fresh slice
    // compared with the name seen at this position is cheaper than comparing in place, and
    // handing on the old string spares V8 hashing a new one when it becomes a property key.
    let name = text.slice(at, at + nameLength);
    if (index < NAME_CACHE_SIZE) {
      const known = nameCache[index];
      if (name === known) name = known;
      else nameCache[index] = name;
    }
    names[index] = name;
    at += nameLength;
    values[index] = text.slice(at, at + valueLength);
    at += valueLength;
    index++;
  }
  return index;
}

const NAME_CACHE_SIZE = 64;
const nameCache: Array<string | undefined> = [];

function length4(text: string, at: number): number {
  return (
    (text.charCodeAt(at) & 0x7f) * 0x1000000 +
    (text.charCodeAt(at + 1) << 16) +
    (text.charCodeAt(at + 2) << 8) +
    text.charCodeAt(at + 3)
  );
}

function truncated(text: string, start: number): FastCgiProtocolError {
  return new FastCgiProtocolError(
    "ERR_FCGI_PARAMS",
    `a name-value pair at byte ${start} of the PARAMS stream runs past its end; the front server sent a malformed PARAMS stream`,
    excerpt(Buffer.from(text.slice(start, start + 32), "latin1")),
  );
}
