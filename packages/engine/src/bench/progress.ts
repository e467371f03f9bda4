/**
 * Progress of a long benchmark on stderr. On a terminal each report
 * overwrites the last; anywhere else (a CI log, a file) reports come as
 * lines, at most one every two seconds, and a phase's final report always.
 */

/** least time between two progress lines when stderr is not a terminal */
const LINE_EVERY_MS = 2000;

export class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private lastLineAt = -Infinity;

  /** a report that the next one replaces */
  update(text: string): void {
    if (this.tty) {
      process.stderr.write(`\r${text}`.padEnd(61));
      return;
    }
    const now = performance.now();
    if (now - this.lastLineAt < LINE_EVERY_MS) return;
    this.lastLineAt = now;
    process.stderr.write(`${text}\n`);
  }

  /** the final report of a phase: kept on its own line */
  done(text: string): void {
    process.stderr.write(this.tty ? `\r${text}`.padEnd(61) + "\n" : `${text}\n`);
    this.lastLineAt = -Infinity;
  }
}
