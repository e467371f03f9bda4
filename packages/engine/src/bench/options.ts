/** Command-line options of the engine's benchmark scripts: `--name value`. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** a mistake in the command line: reported by its message alone, without a stack */
export class UsageError extends Error {}

/** prints what stopped a benchmark (a usage mistake by its message, anything else with its stack) and fails the run */
export function reportFailure(err: unknown): void {
  const text =
    err instanceof UsageError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`\n${text}\n`);
  process.exitCode = 1;
}

/** the number after `--name` (underscores allowed as in 1_000_000), `dflt` when absent; must be > 0 */
export function numberOption(name: string, dflt: number): number {
  const a = process.argv;
  const i = a.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number((a[i + 1] ?? "").replace(/_/g, ""));
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--${name} needs a number > 0, got ${a[i + 1]}`);
  return v;
}

/** the text after `--name`, undefined when absent */
export function stringOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** writes a benchmark's figures as JSON to `file`, making its folder first if it is missing */
export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
