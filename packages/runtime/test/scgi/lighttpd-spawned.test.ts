import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeConformance } from "../conformance/suite.js";
import { startLighttpd, writeBinPath } from "../support/lighttpd.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { listen } from "./context.js";

const entry = fileURLToPath(new URL("./spawned-entry.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

// lighttpd mod_scgi starts the gateway itself ("bin-path") with the listening socket on fd 0,
// the way it spawns FastCGI programs; the shared server finds that socket on its own.
describeConformance("SCGI spawned by lighttpd mod_scgi (socket on fd 0)", async () => {
  // The support config needs a backend for its own mount; this one refuses every request, so
  // only the spawned gateway can answer.
  const unused = await listen((socket) => socket.destroy());
  const spawnDir = await makeTempDir("scgi-spawn");
  const binPath = await writeBinPath(
    [process.execPath, "--conditions=cgi2wsgi-source", "--import", tsx, entry],
    spawnDir,
  );
  const front = await startLighttpd({
    mode: { kind: "scgi", backend: { host: "127.0.0.1", port: unused.port } },
    mount: "/unused",
    extraConfig: `scgi.server += ("/spawned" => ((
  "socket" => "/tmp/cgi2wsgi-scgi-spawned-${process.pid}.sock",
  "bin-path" => ${JSON.stringify(binPath)},
  "check-local" => "disable",
  "max-procs" => 1
)))`,
  });
  return {
    baseUrl: `${front.baseUrl}/spawned`,
    scriptName: "/spawned",
    async close() {
      await front.close();
      await unused.close();
      await removeTempDir(spawnDir);
    },
  };
});
