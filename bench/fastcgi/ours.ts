import { fastcgi } from "../../packages/runtime/src/fastcgi/protocol.js";
import { startServer } from "../../packages/runtime/src/server/start.js";
import { application } from "./hello.js";

// Usage: ours.ts unix:/path — our FastCGI server, one process, as the bench starts it.
const running = await startServer(application, { protocol: fastcgi(), listen: process.argv[2] });
process.stdout.write(`listening ${running.address}\n`);
process.on("SIGINT", () => process.exit(0));
