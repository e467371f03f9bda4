/** Steps that undo the benchmark's setup, run once in reverse order: after success, failure or Ctrl-C. */
export class Cleanup {
  private readonly steps: Array<{ what: string; run: () => Promise<unknown> }> = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (e) {
          this.log(`cleanup: ${step.what} failed: ${(e as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}
