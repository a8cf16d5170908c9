interface Edit {
  start: number;
  end: number;
  text: string;
  order: number;
}

/**
 * Text edits on a source string, by original offsets, applied when a range is read back.
 * Replacements never nest: one that overlaps an earlier one is refused (`false`), so an
 * outer rewrite wins over the rewrites of its parts.
 *
 * @example
 * const editor = new SourceEditor("process.env.A");
 * editor.replace(0, 11, "environ");
 * editor.slice(0, 13); // "environ.A"
 */
export class SourceEditor {
  private readonly edits: Edit[] = [];
  private counter = 0;

  constructor(readonly source: string) {}

  /** Replaces `source[start, end)`; returns `false` if it overlaps a replacement already made. */
  replace(start: number, end: number, text: string): boolean {
    const clash = this.edits.some((e) => e.end > e.start && start < e.end && e.start < end);
    if (clash) return false;
    this.edits.push({ start, end, text, order: this.counter++ });
    return true;
  }

  /**
   * Replaces `source[start, end)` and drops the edits inside it (read them with `slice`
   * first); insertions at either edge (a TODO line above the statement) stay.
   */
  replaceWhole(start: number, end: number, text: string): void {
    for (let i = this.edits.length - 1; i >= 0; i--) {
      const e = this.edits[i]!;
      const atEdge = e.start === e.end && (e.start === start || e.start === end);
      if (e.start >= start && e.end <= end && !atEdge) this.edits.splice(i, 1);
    }
    this.edits.push({ start, end, text, order: this.counter++ });
  }

  /** Inserts `text` before offset `at` (after earlier insertions there). */
  insert(at: number, text: string): void {
    this.edits.push({ start: at, end: at, text, order: this.counter++ });
  }

  /** Whether some replacement covers `[start, end)` entirely. */
  covered(start: number, end: number): boolean {
    return this.edits.some((e) => e.end > e.start && e.start <= start && end <= e.end);
  }

  /** The edited text of `source[start, end)`: edits starting in the range are applied. */
  slice(start: number, end: number): string {
    const inside = this.edits
      .filter((e) => e.start >= start && e.start < end)
      .sort(
        (a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.order - b.order,
      );
    let out = "";
    let at = start;
    for (const edit of inside) {
      out += this.source.slice(at, edit.start) + edit.text;
      at = Math.max(at, edit.end);
    }
    return out + this.source.slice(at, end);
  }
}
