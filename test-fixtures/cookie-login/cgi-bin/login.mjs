#!/usr/bin/env node
// Login form with a session cookie; the logout path clears it.
import { readFileSync } from "node:fs";

const env = process.env;
const cookies = Object.fromEntries(
  (env.HTTP_COOKIE ?? "")
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => pair.split("=")),
);

if (env.PATH_INFO === "/logout") {
  process.stdout.write(
    "Status: 302 Found\nLocation: /login\nSet-Cookie: sid=; Max-Age=0; Path=/\n\n",
  );
} else if (env.REQUEST_METHOD === "POST") {
  const form = new URLSearchParams(readFileSync(0, "utf8"));
  if (form.get("user") === "ada" && form.get("password") === "lovelace") {
    process.stdout.write("Status: 302 Found\nLocation: /welcome\n");
    process.stdout.write("Set-Cookie: sid=s3cr3t; Path=/; HttpOnly; SameSite=Lax\n\n");
  } else {
    process.stdout.write(
      "Status: 401 Unauthorized\nContent-Type: text/plain\n\nwrong user or password\n",
    );
  }
} else if (cookies.sid === "s3cr3t") {
  process.stdout.write("Content-Type: text/plain\n\nlogged in as ada\n");
} else {
  process.stdout.write("Content-Type: text/html\n\n<form method=post><input name=user></form>\n");
}
