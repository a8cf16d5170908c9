#!/usr/bin/env -S node --import tsx
// A typed greeting: the script that made the team move its CGI scripts to TypeScript.

import type { Environ, StartResponse } from "@cgi2wsgi/runtime";
interface Greeting {
  name: string;
  times: number;
}

export function application(environ: Environ, start_response: StartResponse) {
  function readGreeting(query: string): Greeting {
    const params = new URLSearchParams(query);
    const times = Number.parseInt(params.get("times") ?? "1", 10);
    return {
      name: params.get("name") ?? "world",
      times: Number.isNaN(times) ? 1 : Math.min(times, 5),
    };
  }

  const greeting: Greeting = readGreeting(environ.QUERY_STRING || "");
  const lines: string[] = [];
  for (let i = 0; i < greeting.times; i++)
    lines.push(`Hello, ${greeting.name}!`);

  start_response("200 OK", [["Content-Type", "text/plain"]]);

  return [lines.join("\n") + "\n"];
}
