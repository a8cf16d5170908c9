// The migrated form of legacy-hello.cjs, run under the CGI gateway: what a launcher does.
import { runCgi, type Application } from "@cgi2wsgi/runtime";

const application: Application = (_environ, start_response) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["Hello, world!\n"];
};

void runCgi(application);
