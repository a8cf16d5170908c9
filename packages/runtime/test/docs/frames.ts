import { mkdir, writeFile } from "node:fs/promises";
import {
  apachePreamble,
  launchFrontServer,
  nginxMainConfig,
  type FrontServer,
  type ManagedProcess,
} from "../support/index.js";

/** Helpers (fcgiwrap) to start before the front server and stop after it. */
type Companions = (dir: string) => Promise<ManagedProcess[]>;

/** A snippet's public port `80` replaced by the test server's own loopback port. */
function onPort(text: string, port: number): string {
  return text
    .replace(/\blisten 80;/g, `listen 127.0.0.1:${port};`)
    .replace(/<VirtualHost \*:80>/g, `<VirtualHost 127.0.0.1:${port}>`);
}

/**
 * Starts nginx with a docs snippet as the whole content of its `http {}` block (what a
 * sites-enabled file holds), inside the smallest main config that runs in a temp dir. `site`
 * may depend on that temp dir, where `companions` put their sockets.
 *
 * @example
 * const nginx = await startNginxSnippet(snippet("http-nginx", { "8000": String(port) }));
 */
export function startNginxSnippet(
  site: string | ((dir: string) => string),
  companions?: Companions,
): Promise<FrontServer> {
  return launchFrontServer({
    name: "docs-nginx",
    logFiles: ["error.log"],
    companions,
    async prepare(port, dir) {
      // Relative includes (fastcgi_params) resolve against the conf dir, as in /etc/nginx.
      const body = onPort(typeof site === "string" ? site : site(dir), port);
      const conf = nginxMainConfig(dir, `  include /etc/nginx/mime.types;\n${body}`);
      await writeFile(`${dir}/nginx.conf`, conf);
      for (const name of ["fastcgi_params", "scgi_params", "mime.types"]) {
        await writeFile(`${dir}/${name}`, `include /etc/nginx/${name};\n`);
      }
      return {
        command: "nginx",
        args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`],
      };
    },
  });
}

/**
 * Starts Apache with a docs snippet (a `<VirtualHost *:80>`) as its site, loading the modules
 * its `# a2enmod ...` line names plus what Debian enables by default for such a site. `site`
 * may depend on the server's temp dir (for log and shared-memory files).
 *
 * @example
 * const apache = await startApacheSnippet(snippet("ajp-apache", { "8009": String(port) }));
 */
export function startApacheSnippet(site: string | ((dir: string) => string)): Promise<FrontServer> {
  return launchFrontServer({
    name: "docs-apache",
    logFiles: ["error.log"],
    async prepare(port, dir) {
      const text = typeof site === "string" ? site : site(dir);
      const enabled = /^# a2enmod (.+)$/m.exec(text)?.[1]?.split(/\s+/) ?? [];
      const modules = ["mpm_prefork", "authz_core", ...enabled];
      await mkdir(`${dir}/www`, { recursive: true });
      const preamble = apachePreamble({ port, dir, modules, maxRequestWorkers: 32 });
      const conf = `${preamble}\n${onPort(text, port)}\n`;
      await writeFile(`${dir}/httpd.conf`, conf);
      return { command: "apache2", args: ["-d", dir, "-f", `${dir}/httpd.conf`, "-DFOREGROUND"] };
    },
  });
}

/**
 * Starts lighttpd with a docs snippet appended to the smallest config that runs in a temp dir.
 *
 * @example
 * const lighttpd = await startLighttpdSnippet(snippet("scgi-lighttpd", { "4000": String(port) }));
 */
export function startLighttpdSnippet(lines: string): Promise<FrontServer> {
  return launchFrontServer({
    name: "docs-lighttpd",
    logFiles: ["error.log"],
    async prepare(port, dir) {
      await mkdir(`${dir}/www`, { recursive: true });
      const conf = `server.bind = "127.0.0.1"
server.port = ${port}
server.document-root = "${dir}/www"
server.pid-file = "${dir}/lighttpd.pid"
server.errorlog = "${dir}/error.log"
server.breakagelog = "${dir}/error.log"
server.upload-dirs = ("${dir}")
server.modules = ("mod_access")
${lines}
`;
      await writeFile(`${dir}/lighttpd.conf`, conf);
      return { command: "lighttpd", args: ["-D", "-f", `${dir}/lighttpd.conf`] };
    },
  });
}
