/**
 * How a service's process is started: the Node.js flags its package.json
 * lists under "nodeFlags", then its built entry point. The evaluator lists a
 * 32 MB young generation (a price that fires thousands of rules allocates
 * their alerts faster than the default one clears them, and the survivors
 * then cost full collections); see docs/benchmarks.md. Every launcher of a
 * service (the dev launcher, the pipeline benchmark, the system tests) starts
 * it with these arguments, and so does the service's own `npm start`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** the flags a service's package.json lists under "nodeFlags" (none when absent) */
export function serviceNodeFlags(root: string, name: string): string[] {
  const file = join(root, "services", name, "package.json");
  const pkg = JSON.parse(readFileSync(file, "utf8")) as { nodeFlags?: unknown };
  const flags = pkg.nodeFlags ?? [];
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === "string" && f.startsWith("--"))) {
    throw new Error(`${file}: "nodeFlags" must be a list of flags such as "--max-semi-space-size=32"`);
  }
  return flags as string[];
}

/** the arguments after `node` that start service `name` of the checkout at `root` */
export function serviceNodeArgs(root: string, name: string): string[] {
  return [...serviceNodeFlags(root, name), join(root, "services", name, "dist", "main.js")];
}
