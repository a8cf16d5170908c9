#!/usr/bin/env node
import process from "node:process";

const params = new URLSearchParams(process.env.QUERY_STRING ?? "");
const name = params.get("name") ?? "world";
const shout = params.has("shout");

process.stdout.write("Content-Type: text/plain; charset=utf-8\r\n\r\n");
process.stdout.write(`Hello, ${shout ? name.toUpperCase() : name}!\n`);
