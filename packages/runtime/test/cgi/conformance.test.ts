import { startApache } from "../support/apache.js";
import type { FrontServer } from "../support/front-server.js";
import { startLighttpd } from "../support/lighttpd.js";
import { startNginxCgi } from "../support/nginx.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { writeConformanceCgi } from "../conformance/cgi-launcher.js";
import { describeConformance } from "../conformance/suite.js";

// The conformance application as a real CGI program (runCgi), run by each CGI front server.
const PEERS: Array<[string, (scriptsDir: string) => Promise<FrontServer>]> = [
  ["nginx + fcgiwrap", (scriptsDir) => startNginxCgi({ scriptsDir })],
  ["Apache mod_cgi", (scriptsDir) => startApache({ mode: { kind: "cgi", scriptsDir } })],
  ["lighttpd mod_cgi", (scriptsDir) => startLighttpd({ mode: { kind: "cgi", scriptsDir } })],
];

for (const [name, start] of PEERS) {
  describeConformance(`CGI under ${name}`, async () => {
    const scriptsDir = await makeTempDir("conformance-cgi");
    await writeConformanceCgi(scriptsDir);
    const server = await start(scriptsDir).catch(async (err: unknown) => {
      await removeTempDir(scriptsDir);
      throw err;
    });
    return {
      baseUrl: `${server.baseUrl}/cgi-bin/app.cgi`,
      scriptName: "/cgi-bin/app.cgi",
      close: async () => {
        await server.close();
        await removeTempDir(scriptsDir);
      },
    };
  });
}
