#!/usr/bin/env -S node --import tsx
// TypeScript with types kept at module level and a typed body read.
import { readFileSync } from "node:fs";

interface Order {
  sku: string;
  quantity: number;
}

function total(orders: Order[]): number {
  return orders.reduce((sum, o) => sum + o.quantity, 0);
}

const method: string = process.env.REQUEST_METHOD ?? "GET";
if (method === "POST") {
  const orders = JSON.parse(readFileSync(0, "utf8")) as Order[];
  process.stdout.write(`Status: 201 Created\nContent-Type: text/plain\n\n${total(orders)}\n`);
} else {
  process.stdout.write("Status: 405 Method Not Allowed\nAllow: POST\n\n");
}
