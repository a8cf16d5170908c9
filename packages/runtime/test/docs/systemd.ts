import { chmod, chown, stat } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import {
  NotListeningError,
  startProcess,
  waitForListening,
  type ManagedProcess,
} from "../support/index.js";
import { cliCommand, commandArgs } from "./runtime.js";

/**
 * The `Key=value` settings of a unit file, repeated keys in order (sections are not kept
 * apart: the documented units use each key in one section only).
 *
 * @example
 * unitSettings("[Socket]\nListenStream=/run/a.sock\n").get("ListenStream"); // ["/run/a.sock"]
 */
export function unitSettings(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const match = /^(\w+)=(.*)$/.exec(line.trim());
    if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!]);
  }
  return settings;
}

/** A setting the test needs is missing from a documented unit. */
export class MissingUnitSettingError extends Error {
  readonly code = "ERR_MISSING_UNIT_SETTING";
  constructor(key: string) {
    super(`the documented systemd unit has no ${key}=; add it back to docs/deploy.md`);
  }
}

function one(settings: Map<string, string[]>, key: string): string {
  const value = settings.get(key)?.[0];
  if (value === undefined) throw new MissingUnitSettingError(key);
  return value;
}

/**
 * Does what systemd does with the documented `.socket` / `.service` pair, with
 * `systemd-socket-activate` standing in for PID 1: listens on `ListenStream`, gives the socket
 * `SocketGroup` and `SocketMode`, and starts `ExecStart` (the real CLI) with its `Environment`
 * and `LISTEN_FDS` on the first connection.
 *
 * @example
 * const service = await activate(snippet("systemd-socket", v), snippet("systemd-service", v));
 */
export async function activate(socketUnit: string, serviceUnit: string): Promise<ManagedProcess> {
  const socket = unitSettings(socketUnit);
  const service = unitSettings(serviceUnit);
  const path = one(socket, "ListenStream");
  const [command, args] = cliCommand(commandArgs(one(service, "ExecStart")));
  const env = (service.get("Environment") ?? []).flatMap((e) => ["-E", e]);
  const proc = startProcess("systemd-socket-activate", [
    "-l",
    path,
    "-E",
    `PATH=${process.env.PATH}`,
    ...env,
    command,
    ...args,
  ]);
  // systemd sets owner and mode before anything can connect; so do we, before the first probe.
  const deadline = Date.now() + 10_000;
  while (!(await stat(path).catch(() => undefined)) && proc.running() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const group = Number(
    execFileSync("getent", ["group", one(socket, "SocketGroup")], { encoding: "utf8" }).split(
      ":",
    )[2],
  );
  await chown(path, 0, group);
  await chmod(path, parseInt(one(socket, "SocketMode"), 8));
  if (!(await waitForListening({ socket: path }, () => proc.running(), 20_000))) {
    await proc.stop();
    throw new NotListeningError("socket-activated cgi2wsgi", proc.output() || "(no output)");
  }
  return proc;
}
