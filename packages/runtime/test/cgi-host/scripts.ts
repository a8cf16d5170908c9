import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempDir, PERL_READ_BODY, RESPONSE_SCRIPTS } from "../support/index.js";

/**
 * Legacy CGI scripts in shell, Perl and Node that the CGI host tests run: each shows one
 * rule of how a CGI server treats a script.
 */
export const HOST_SCRIPTS: Record<string, string> = {
  // The environment, one VAR=value per line.
  "env.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
env
`,
  // The request body back byte for byte (uploads), with its length and a status.
  "echo.pl": `${PERL_READ_BODY}print "Status: 201 Created\\r\\nContent-Type: application/octet-stream\\r\\n";
print "X-Length: " . length($body) . "\\r\\n\\r\\n";
print $body;
`,
  // Every byte value, in Node: binary output passes untouched.
  "binary.js": `#!/usr/bin/env node
const bytes = Buffer.alloc(256 * 64);
for (let i = 0; i < bytes.length; i++) bytes[i] = i % 256;
process.stdout.write("Content-Type: application/octet-stream\\n\\n");
process.stdout.write(bytes);
`,
  // A form POST read from stdin in Node.
  "form.cjs": `#!/usr/bin/env node
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const form = new URLSearchParams(Buffer.concat(chunks).toString());
  console.log("Content-Type: text/plain\\n");
  console.log("hello " + form.get("name") + " via " + process.env.REQUEST_METHOD);
});
`,
  // Reads the body the way many old scripts do: the /dev/stdin path, and fd 0 in shell.
  "dev-stdin.js": `#!/usr/bin/env node
const body = require("fs").readFileSync("/dev/stdin", "utf8");
process.stdout.write("Content-Type: text/plain\\n\\n[" + body + "]\\n");
`,
  "cat.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\n\\n'
cat
`,
  // LF-only headers, Status, repeated Set-Cookie; Location alone: 302.
  ...RESPONSE_SCRIPTS,
  // An nph- script: its own status line.
  "nph-accepted.sh": `#!/bin/sh
printf 'HTTP/1.1 202 Accepted\\r\\nContent-Type: text/plain\\r\\nConnection: close\\r\\n\\r\\nqueued\\n'
`,
  // Output in two parts with a pause: streamed, not buffered.
  "slow.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\nfirst\\n'
sleep 0.4
printf 'second\\n'
`,
  // Never answers (a sleeping child too, which the kill must reach).
  "hang.sh": `#!/bin/sh
echo $$ > "$PIDFILE_DIR/hang.pid"
cut -d" " -f5 /proc/$$/stat > "$PIDFILE_DIR/hang.pgid"
sleep 30
`,
  // Sends headers and a little body, then hangs.
  "hang-after-headers.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\npartial\\n'
sleep 30
`,
  // Answers a first line, then waits without writing (so no SIGPIPE would end it).
  "wait.sh": `#!/bin/sh
echo $$ > "$PIDFILE_DIR/wait.pid"
cut -d" " -f5 /proc/$$/stat > "$PIDFILE_DIR/wait.pgid"
printf 'Content-Type: text/plain\\r\\n\\r\\nwaiting\\n'
sleep 30
`,
  // Streams until someone stops it; writes its pid so the test can see it reaped.
  "forever.sh": `#!/bin/sh
echo $$ > "$PIDFILE_DIR/forever.pid"
printf 'Content-Type: text/plain\\r\\n\\r\\n'
while true; do echo tick; sleep 0.05; done
`,
  // An uncaught error before any output.
  // Answers on stdin's 'close', which Node emits for a pipe (as CGI servers give) but
  // never for a file or /dev/null.
  "stdin-close.js": `#!/usr/bin/env node
let n = 0;
process.stdin.on("data", (c) => (n += c.length));
process.stdin.on("close", () => process.stdout.write("Content-Type: text/plain\\r\\n\\r\\nread " + n + "\\n"));
`,
  "crash.js": `#!/usr/bin/env node
throw new Error("crash-marker: database is down");
`,
  // Killed by a signal in the middle of its body.
  "crash-mid.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\nbegin\\n'
sleep 0.1
kill -9 $$
`,
  // A header block that never ends.
  "huge-head.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\n'
while true; do printf 'X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\n'; done
`,
  // Output that is not CGI at all.
  "garbage.sh": `#!/bin/sh
echo "hello, I forgot the headers"
`,
  // Writes to stderr, which goes to wsgi.errors, not to the client.
  "stderr.pl": `#!/usr/bin/perl
print STDERR "stderr-marker-from-perl\\n";
print "Content-Type: text/plain\\r\\n\\r\\nok\\n";
`,
  // Answers, closes stdout and works on: the response ends at end of output.
  "linger.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\ndone\\n'
exec >&-
sleep 0.6
`,
  // Marks itself running in a shared file: shows whether two runs ever overlap.
  "busy.sh": `#!/bin/sh
if ! mkdir "$PIDFILE_DIR/busy.lock" 2>/dev/null; then overlap=yes; else overlap=no; fi
sleep 0.3
[ "$overlap" = no ] && rmdir "$PIDFILE_DIR/busy.lock"
printf 'Content-Type: text/plain\\r\\n\\r\\noverlap=%s\\n' "$overlap"
`,
};

/** A script directory with {@link HOST_SCRIPTS}, a sub-directory, and files it must refuse. */
export interface HostFixture {
  dir: string;
  /** A directory beside `dir` whose files must never run. */
  outside: string;
  /** Where scripts write their pids (passed as PIDFILE_DIR). */
  pids: string;
}

/**
 * Writes the scripts (mode 0755) plus: `sub/inner.sh`, `plain.js` (not executable), a
 * symlink `escape.sh` to a script outside the directory, a symlink `inside-link.sh` to
 * `env.sh`, and `.hidden.sh`.
 *
 * @example
 * const fixture = await makeHostFixture();
 */
export async function makeHostFixture(): Promise<HostFixture> {
  const base = await makeTempDir("cgi-host");
  const dir = join(base, "cgi-bin");
  const outside = join(base, "outside");
  const pids = join(base, "pids");
  await mkdir(join(dir, "sub"), { recursive: true });
  await mkdir(outside);
  await mkdir(pids, { mode: 0o777 });
  const write = async (file: string, text: string, mode = 0o755) => {
    await writeFile(file, text);
    await chmod(file, mode);
  };
  for (const [name, text] of Object.entries(HOST_SCRIPTS)) await write(join(dir, name), text);
  await write(
    join(dir, "sub", "inner.sh"),
    `#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\ninner %s %s\\n' "$SCRIPT_NAME" "$PATH_INFO"\n`,
  );
  await write(
    join(dir, "plain.js"),
    `console.log("Content-Type: text/plain\\n");\nconsole.log("interpreted " + process.env.SCRIPT_NAME);\n`,
    0o644,
  );
  await write(join(dir, ".hidden.sh"), HOST_SCRIPTS["env.sh"]!);
  await write(
    join(outside, "secret.sh"),
    `#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nsecret-outside\\n'\n`,
  );
  await symlink(join(outside, "secret.sh"), join(dir, "escape.sh"));
  await symlink(outside, join(dir, "escape-dir"));
  await symlink(join(dir, "env.sh"), join(dir, "inside-link.sh"));
  return { dir, outside, pids };
}
