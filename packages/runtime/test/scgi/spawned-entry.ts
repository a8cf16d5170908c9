/**
 * What `cgi2wsgi serve --protocol scgi` does without --listen when a web server spawns it:
 * serve the conformance application on the listening socket inherited on fd 0.
 */
import { scgi } from "../../src/scgi/protocol.js";
import { startServer } from "../../src/server/start.js";
import { application } from "../conformance/app.js";

const running = await startServer(application, { protocol: scgi({ mount: "/spawned" }) });
process.once("SIGTERM", () => void running.close(2000).then(() => process.exit(0)));
