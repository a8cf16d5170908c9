// A migrate worker: migrates the files the main thread sends, one message per file, so a
// slow file never holds up the others.
import { parentPort } from "node:worker_threads";
import { migrateFile } from "./migrate-file.js";

parentPort!.on("message", (message: { id: number; file: string }) => {
  void migrateFile(message.file).then((outcome) =>
    parentPort!.postMessage({ id: message.id, outcome }),
  );
});
