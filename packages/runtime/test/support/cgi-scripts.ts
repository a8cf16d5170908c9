/**
 * The start of a Perl CGI script that reads the request body into `$body`: CONTENT_LENGTH
 * bytes in as many reads as stdin needs (a pipe hands them over in pieces), fewer if stdin
 * ends first. What to answer is up to the lines that follow.
 *
 * @example
 * const echo = `${PERL_READ_BODY}print "Content-Type: text/plain\\r\\n\\r\\n$body";\n`;
 */
export const PERL_READ_BODY = `#!/usr/bin/perl
use strict;
binmode STDIN;
binmode STDOUT;
my $want = $ENV{CONTENT_LENGTH} || 0;
my $body = '';
while (length($body) < $want) {
  my $got = read(STDIN, $body, $want - length($body), length($body));
  last unless $got;
}
`;

/**
 * Scripts whose output alone shows how a server turns CGI headers into a response: a
 * `Status` header with LF-only lines and repeated Set-Cookie, and a bare `Location`.
 *
 * @example
 * const scripts = { ...RESPONSE_SCRIPTS, "env.sh": "#!/bin/sh\nenv\n" };
 */
export const RESPONSE_SCRIPTS: Record<string, string> = {
  // LF-only header lines, a Status header and repeated Set-Cookie.
  "status.sh": `#!/bin/sh
printf 'Status: 404 Not Found\\nContent-Type: text/plain\\nSet-Cookie: a=1\\nSet-Cookie: b=2\\n\\nnothing here\\n'
`,
  // Location with no Status: a CGI server answers 302.
  "redirect.sh": `#!/bin/sh
printf 'Location: http://example.invalid/elsewhere\\r\\n\\r\\n'
`,
};

/**
 * Small CGI programs in shell and Perl that the helper tests run under every front server:
 * they show what each server really passes and how it treats CGI output.
 *
 * @example
 * const dir = await makeScriptDir(CGI_SCRIPTS);
 */
export const CGI_SCRIPTS: Record<string, string> = {
  // The whole environment, one VAR=value per line.
  "env.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\nX-Script: env\\r\\n\\r\\n'
env
`,
  // The request body back, byte for byte, with a non-200 status.
  "echo.pl": `${PERL_READ_BODY}my $type = $ENV{CONTENT_TYPE} // '(none)';
print "Status: 201 Created\\r\\n";
print "Content-Type: application/octet-stream\\r\\n";
print "X-Method: $ENV{REQUEST_METHOD}\\r\\n";
print "X-Request-Content-Type: $type\\r\\n";
print "X-Length: " . length($body) . "\\r\\n\\r\\n";
print $body;
`,
  ...RESPONSE_SCRIPTS,
  // What a script learns about the request body, then the body read to end of file.
  "body.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
echo "CONTENT_LENGTH=\${CONTENT_LENGTH-(unset)}"
echo "HTTP_TRANSFER_ENCODING=\${HTTP_TRANSFER_ENCODING-(unset)}"
echo "HTTP_PROXY=\${HTTP_PROXY-(unset)}"
printf 'BODY='
cat
`,
  // Output in two parts with a pause: shows whether the server streams or buffers.
  "slow.sh": `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\nfirst\\n'
sleep 0.3
printf 'second\\n'
`,
  // Writes to stderr, which the server must log, not send.
  "stderr.sh": `#!/bin/sh
echo "stderr-marker-from-script" >&2
printf 'Content-Type: text/plain\\r\\n\\r\\nok\\n'
`,
};

/**
 * Parses `env` output (VAR=value lines) into a map.
 *
 * @example
 * parseEnvDump("A=1\nB=x=y\n"); // { A: "1", B: "x=y" }
 */
export function parseEnvDump(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
