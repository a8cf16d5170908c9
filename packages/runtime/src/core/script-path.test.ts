import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyMount, decodePath } from "./script-path.js";

describe("decodePath", () => {
  it("decodes escapes to bytes held as latin1 and leaves malformed ones", () => {
    expect(decodePath("/a%20b")).toBe("/a b");
    expect(decodePath("/%C3%A9")).toBe("/\u00c3\u00a9");
    expect(decodePath("/100%")).toBe("/100%");
    expect(decodePath("/%zz%4")).toBe("/%zz%4");
    expect(decodePath("/%2F")).toBe("//");
  });

  it("agrees with decodeURIComponent on well-formed UTF-8 paths", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const encoded = encodeURIComponent(text);
        expect(Buffer.from(decodePath(encoded), "latin1").toString("utf8")).toBe(
          decodeURIComponent(encoded),
        );
      }),
    );
  });
});

describe("applyMount", () => {
  it("keeps what the front server sent when there is no mount", () => {
    expect(applyMount({ SCRIPT_NAME: "/s", PATH_INFO: "/p" }, undefined)).toMatchObject({
      SCRIPT_NAME: "/s",
      PATH_INFO: "/p",
    });
  });

  it("takes the path from DOCUMENT_URI, else REQUEST_URI, when neither variable was sent", () => {
    expect(applyMount({ DOCUMENT_URI: "/a b", REQUEST_URI: "/x" }, undefined)).toMatchObject({
      SCRIPT_NAME: "",
      PATH_INFO: "/a b",
    });
    expect(applyMount({ REQUEST_URI: "/a%20b?q=%20" }, "/")).toMatchObject({
      SCRIPT_NAME: "",
      PATH_INFO: "/a b",
    });
  });

  it("re-splits at the mount whatever split was sent", () => {
    for (const sent of [
      { SCRIPT_NAME: "/app/x/y", PATH_INFO: "" },
      { SCRIPT_NAME: "", PATH_INFO: "/app/x/y" },
      { SCRIPT_NAME: "/app/x", PATH_INFO: "/y" },
    ]) {
      expect(applyMount({ ...sent }, "/app/")).toMatchObject({
        SCRIPT_NAME: "/app",
        PATH_INFO: "/x/y",
      });
    }
    expect(applyMount({ REQUEST_URI: "/app" }, "/app")).toMatchObject({
      SCRIPT_NAME: "/app",
      PATH_INFO: "",
    });
  });

  it("leaves a path outside the mount as sent", () => {
    expect(applyMount({ SCRIPT_NAME: "/application/x" }, "/app")).toMatchObject({
      SCRIPT_NAME: "/application/x",
    });
  });
});
