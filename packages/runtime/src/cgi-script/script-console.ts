import { Console } from "node:console";
import { format } from "node:util";

// What a script's console does most: these format as Console does for a stream that is no
// terminal (util.format, no colours) and write at once. Every other method (group, table,
// time, count, ...) makes a real Console, which from then on does all the work, so
// indentation from `group` reaches `log` as in Node.
const TO_STDOUT = ["log", "info", "debug"] as const;
const TO_STDERR = ["error", "warn"] as const;
type Fast = (typeof TO_STDOUT)[number] | (typeof TO_STDERR)[number];
const FAST: readonly string[] = [...TO_STDOUT, ...TO_STDERR];

type Sink = (text: string) => void;

class ScriptConsole {
  real: Console | undefined;
  constructor(
    readonly out: Sink,
    readonly err: Sink,
    readonly make: () => Console,
  ) {}
  log = (...args: unknown[]) => this.line(this.out, "log", args);
  info = (...args: unknown[]) => this.line(this.out, "info", args);
  debug = (...args: unknown[]) => this.line(this.out, "debug", args);
  error = (...args: unknown[]) => this.line(this.err, "error", args);
  warn = (...args: unknown[]) => this.line(this.err, "warn", args);

  private line(sink: Sink, name: Fast, args: unknown[]): void {
    if (this.real) return (this.real[name] as (...args: unknown[]) => void)(...args);
    // One string, the usual line, is what format() would give back unchanged.
    const first = args[0];
    sink(args.length === 1 && typeof first === "string" ? first + "\n" : `${format(...args)}\n`);
  }
}

// Console binds its methods to each instance: the other names come from one made here, as
// getters shared by every script's console.
for (const name of Object.keys(new Console({ stdout: process.stdout }))) {
  if (FAST.includes(name)) continue;
  Object.defineProperty(ScriptConsole.prototype, name, {
    configurable: true,
    enumerable: true,
    get(this: ScriptConsole) {
      return (this.real ??= this.make())[name as keyof Console];
    },
  });
}

/**
 * A `console` for one request that costs little until used: `log`/`info`/`debug` give
 * `out` their line and `error`/`warn` give `err` theirs, formatted as `util.format` does;
 * anything else builds the real `Console` from `make` and hands it every call after.
 *
 * @example
 * const console = scriptConsole((text) => stdout.write(text), (text) => errors.write(text),
 *   () => new Console({ stdout, stderr }));
 * console.log("%s = %d", "x", 1); // "x = 1\n" to out
 */
export function scriptConsole(out: Sink, err: Sink, make: () => Console): Console {
  return new ScriptConsole(out, err, make) as unknown as Console;
}
