import { describe, expect, it } from "vitest";
import { cgiHeadText, formatCgiHead } from "./headers.js";

describe("CGI header block", () => {
  it("leaves out Status for 200 OK, which CGI implies", () => {
    expect(cgiHeadText("200 OK", [["Content-Type", "text/plain"]])).toBe(
      "Content-Type: text/plain\r\n\r\n",
    );
  });

  it("keeps Status first for other statuses and for a 200 of its own reason", () => {
    expect(formatCgiHead("404 Not Found", [["X-A", "1"]]).toString("latin1")).toBe(
      "Status: 404 Not Found\r\nX-A: 1\r\n\r\n",
    );
    expect(cgiHeadText("200 Fine", [])).toBe("Status: 200 Fine\r\n\r\n");
    // A CGI response needs one header field at least.
    expect(cgiHeadText("200 OK", [])).toBe("Status: 200 OK\r\n\r\n");
  });

  it("keeps Status for a 200 with Location, which would otherwise be a 302", () => {
    expect(cgiHeadText("200 OK", [["location", "/elsewhere"]])).toBe(
      "Status: 200 OK\r\nlocation: /elsewhere\r\n\r\n",
    );
  });
});
