/** Stands for text only known at run time in an approximated output string. */
export const DYNAMIC = "\u0000";

const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;
const NPH_STATUS_LINE = /^HTTP\/1\.[01] (\d{3}|\u0000)/;

/** The result of reading approximated stdout text as the start of a CGI response. */
export type HeaderBlockVerdict =
  { kind: "block"; headers: string[] } | { kind: "incomplete" } | { kind: "none" };

// Response header names scripts print; anything else ("Summary:", "Errors:") is a log line.
const KNOWN_HEADER =
  /^(status|location|content-[a-z-]+|set-cookie|cache-control|expires|pragma|last-modified|etag|vary|refresh|access-control-[a-z-]+|x-[a-z0-9-]+|www-authenticate|strict-transport-security|link|retry-after|allow|p3p|server|date|connection|transfer-encoding|accept-ranges|age|referrer-policy|permissions-policy|cross-origin-[a-z-]+|timing-allow-origin|keep-alive)$/i;

// A CGI response must carry one of these (RFC 3875 section 6.2) with a value that looks like
// one, so a log line such as "Status: running" followed by a blank line is not a block.
function classifyHeader(name: string, value: string): "valid" | "invalid" | "other" {
  const plausible = (ok: boolean) => (ok ? "valid" : "invalid");
  switch (name.toLowerCase()) {
    case "content-type":
      return plausible(value.includes("/") || value.startsWith(DYNAMIC));
    case "status":
      return plausible(/^(\d{3}(\s|$)|\u0000)/.test(value));
    case "location":
      return plausible(/^(\/|[a-z][a-z0-9+.-]*:|\u0000)/i.test(value));
    default:
      return "other";
  }
}

/**
 * Reads text that a script writes to stdout (with {@link DYNAMIC} for run-time parts) and
 * says whether it begins with a CGI header block: header lines, at least one of
 * Content-Type, Status or Location with a plausible value, then a blank line. `incomplete`
 * means the text so far is a valid beginning without its blank line yet.
 *
 * @example
 * headerBlockVerdict("Content-Type: text/plain\n\nhello"); // { kind: "block", ... }
 * headerBlockVerdict("Summary: 3\n"); // { kind: "none" }
 */
export function headerBlockVerdict(text: string): HeaderBlockVerdict {
  const lines = text.split("\n");
  const headers: string[] = [];
  let responseHeader = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, "");
    const last = index === lines.length - 1;
    if (line === "") {
      if (last) return headers.length > 0 ? { kind: "incomplete" } : { kind: "none" };
      return responseHeader ? { kind: "block", headers } : { kind: "none" };
    }
    if (index === 0 && NPH_STATUS_LINE.test(line)) {
      responseHeader = true;
      headers.push("Status");
      continue;
    }
    const match = HEADER_LINE.exec(line);
    // Output written in pieces ("Content-Ty", "pe: text/pl", "ain\n"): the unfinished last
    // line is judged once the next write completes it.
    if (last && (match ? KNOWN_HEADER.test(match[1]!) : isHeaderNamePrefix(line))) {
      return { kind: "incomplete" };
    }
    if (match && KNOWN_HEADER.test(match[1]!)) {
      const kind = classifyHeader(match[1]!, match[2]!);
      if (kind === "invalid") return { kind: "none" };
      if (kind === "valid") responseHeader = true;
      headers.push(match[1]!);
      continue;
    }
    // A line wholly made at run time (a header printed from a variable) may be a header,
    // but only once a literal header has shown that this is a header block.
    if (line.replaceAll(DYNAMIC, "").trim() === "" && headers.length > 0) continue;
    return { kind: "none" };
  }
  // The text ended inside the block: a later write may still bring the blank line.
  return headers.length > 0 ? { kind: "incomplete" } : { kind: "none" };
}

/**
 * Whether a line of output could open a header block, so the detector starts a candidate
 * there (cheap, before concatenating the following writes).
 *
 * @example
 * opensHeaderBlock("Content-Type: text/html\n"); // true
 */
export function opensHeaderBlock(text: string): boolean {
  const first = text.split("\n", 1)[0]!.replace(/\r$/, "");
  const match = HEADER_LINE.exec(first);
  if (match !== null) return KNOWN_HEADER.test(match[1]!);
  return NPH_STATUS_LINE.test(first) || (!text.includes("\n") && isHeaderNamePrefix(first));
}

const RESPONSE_HEADER_NAMES = ["content-type", "status", "location"];

function isHeaderNamePrefix(text: string): boolean {
  const lower = text.toLowerCase();
  return lower.length >= 3 && RESPONSE_HEADER_NAMES.some((name) => name.startsWith(lower));
}
