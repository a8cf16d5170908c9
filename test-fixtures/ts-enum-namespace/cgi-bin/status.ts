#!/usr/bin/env -S node --import tsx
// TypeScript-only constructs around the CGI code: an enum, a namespace, generics, non-null.
enum Level {
  Ok = "ok",
  Degraded = "degraded",
}

namespace Checks {
  export function level(load: number): Level {
    return load < 0.7 ? Level.Ok : Level.Degraded;
  }
}

function pick<T>(values: T[], index: number): T | undefined {
  return values[index];
}

const loads = [0.2, 0.9, 0.5];
const index = Number(new URLSearchParams(process.env.QUERY_STRING!).get("i") ?? 0);
const load = pick(loads, index);

if (load === undefined) {
  console.log("Status: 404 Not Found\nContent-Type: text/plain\n\nno such node");
} else {
  console.log(`Content-Type: text/plain\nX-Level: ${Checks.level(load)}\n`);
  console.log(`node ${index}: load ${load}`);
}
