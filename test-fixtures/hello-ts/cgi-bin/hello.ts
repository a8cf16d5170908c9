#!/usr/bin/env -S node --import tsx
// A typed greeting: the script that made the team move its CGI scripts to TypeScript.
interface Greeting {
  name: string;
  times: number;
}

function readGreeting(query: string): Greeting {
  const params = new URLSearchParams(query);
  const times = Number.parseInt(params.get("times") ?? "1", 10);
  return {
    name: params.get("name") ?? "world",
    times: Number.isNaN(times) ? 1 : Math.min(times, 5),
  };
}

const greeting: Greeting = readGreeting(process.env.QUERY_STRING || "");
const lines: string[] = [];
for (let i = 0; i < greeting.times; i++) lines.push(`Hello, ${greeting.name}!`);

process.stdout.write("Content-Type: text/plain\n\n");
process.stdout.write(lines.join("\n") + "\n");
