// A lint worker: checks the files it is given and posts their outcomes back in one message.
import { parentPort, workerData } from "node:worker_threads";
import { checkFile } from "./check-file.js";
import type { Severity } from "./config.js";

const { files, cwd, rules } = workerData as {
  files: string[];
  cwd: string;
  rules: Record<string, Severity>;
};
parentPort!.postMessage(files.map((file) => checkFile(file, cwd, rules)));
