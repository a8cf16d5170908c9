// The migrated form of legacy-hello.cjs, as an application module for a .fcgi launcher.
import type { Application } from "@cgi2wsgi/runtime";

export const application: Application = (_environ, start_response) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["Hello, world!\n"];
};
