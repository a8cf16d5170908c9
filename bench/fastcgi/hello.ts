import type { Application } from "@cgi2wsgi/runtime";

/** The hello world every contender serves. */
export const application: Application = (_environ, start_response) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["Hello, world!\n"];
};
