#!/usr/bin/env node
// Logs to stderr with console.error and console.warn while answering normally.
var action = new URLSearchParams(process.env.QUERY_STRING).get("action") || "view";
console.error("[audit] action=%s from %s", action, process.env.REMOTE_ADDR);
if (action === "delete") console.warn("[audit] destructive action requested");
console.log("Content-Type: text/plain\n");
console.log("action " + action + " recorded");
