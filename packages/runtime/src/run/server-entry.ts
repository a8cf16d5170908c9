// What run() loads when it serves over a socket rather than as CGI; one module, so a
// launcher can ship it apart from the CGI path (see the CLI's write-launcher.ts).
export { serve } from "../server/serve.js";
export { protocolByName } from "./serve.js";
