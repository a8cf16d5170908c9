import type { Colors } from "../shared/color.js";

type Edit = { kind: " " | "-" | "+"; text: string };

/**
 * A unified diff (`diff -u` / `git diff` format, 3 lines of context) between two texts,
 * coloured when `colors` is enabled; empty when the texts are equal.
 *
 * @example
 * io.stdout(unifiedDiff("a\nb\n", "a\nc\n", { path: "cgi-bin/x.cjs", colors }));
 * // --- a/cgi-bin/x.cjs
 * // +++ b/cgi-bin/x.cjs
 * // @@ -1,2 +1,2 @@ ...
 */
export function unifiedDiff(
  before: string,
  after: string,
  options: { path: string; colors: Colors; context?: number },
): string {
  if (before === after) return "";
  const { colors } = options;
  const context = options.context ?? 3;
  const edits = diffLines(splitLines(before), splitLines(after));
  const out = [colors.bold(`--- a/${options.path}`), colors.bold(`+++ b/${options.path}`)];
  let index = 0;
  while (index < edits.length) {
    while (index < edits.length && edits[index]!.kind === " ") index++;
    if (index === edits.length) break;
    // A hunk runs from `context` lines before the first change to `context` lines after the
    // last one, merging changes closer than 2 * context lines.
    const start = Math.max(0, index - context);
    let end = index;
    for (;;) {
      while (end < edits.length && edits[end]!.kind !== " ") end++;
      let next = end;
      while (next < edits.length && edits[next]!.kind === " ") next++;
      if (next < edits.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(edits.length, end + context);
    const hunk = edits.slice(start, stop);
    const oldStart = 1 + edits.slice(0, start).filter((e) => e.kind !== "+").length;
    const newStart = 1 + edits.slice(0, start).filter((e) => e.kind !== "-").length;
    const oldCount = hunk.filter((e) => e.kind !== "+").length;
    const newCount = hunk.filter((e) => e.kind !== "-").length;
    out.push(colors.cyan(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`));
    for (const edit of hunk) {
      const line = edit.kind + edit.text.replace(/\n$/, "");
      out.push(
        edit.kind === "-" ? colors.red(line) : edit.kind === "+" ? colors.green(line) : line,
      );
      if (!edit.text.endsWith("\n")) out.push("\\ No newline at end of file");
    }
    index = stop;
  }
  return out.join("\n") + "\n";
}

// diff -u writes an empty range as "start-1,0".
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

// Myers' O(ND) shortest edit script over lines, walked back from the end.
function diffLines(a: string[], b: string[]): Edit[] {
  const max = a.length + b.length;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= a.length && y >= b.length) break outer;
    }
  }
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK =
      k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) (edits.push({ kind: " ", text: a[--x]! }), y--);
    if (d > 0) {
      if (x === prevX) edits.push({ kind: "+", text: b[--y]! });
      else edits.push({ kind: "-", text: a[--x]! });
    }
  }
  return edits.reverse();
}
