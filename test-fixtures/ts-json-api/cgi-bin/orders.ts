#!/usr/bin/env -S node --import tsx
// A TypeScript JSON API: typed body parsing, validation errors as 422.
import { readFileSync } from "node:fs";

interface OrderLine {
  sku: string;
  quantity: number;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

function parseOrder(text: string): Result<OrderLine[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: "body is not JSON" };
  }
  if (!Array.isArray(data)) return { ok: false, error: "expected an array of lines" };
  const lines = data as OrderLine[];
  const bad = lines.find((l) => typeof l.sku !== "string" || !Number.isInteger(l.quantity));
  return bad ? { ok: false, error: `bad line ${JSON.stringify(bad)}` } : { ok: true, value: lines };
}

function reply(status: string, value: object): void {
  process.stdout.write(
    `Status: ${status}\nContent-Type: application/json\n\n${JSON.stringify(value)}\n`,
  );
}

const method: string = process.env.REQUEST_METHOD ?? "GET";
if (method !== "POST") {
  reply("405 Method Not Allowed", { error: "POST an array of order lines" });
} else {
  const result = parseOrder(readFileSync(0, "utf8"));
  if (result.ok) {
    const units = result.value.reduce((n, l) => n + l.quantity, 0);
    reply("201 Created", { lines: result.value.length, units });
  } else {
    reply("422 Unprocessable Entity", { error: result.error });
  }
}
