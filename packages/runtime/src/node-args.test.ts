import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { serviceNodeArgs, serviceNodeFlags } from "./node-args.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const scratch = mkdtempSync(join(tmpdir(), "node-args-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function service(name: string, pkg: object): void {
  mkdirSync(join(scratch, "services", name), { recursive: true });
  writeFileSync(join(scratch, "services", name, "package.json"), JSON.stringify(pkg));
}

describe("service node arguments", () => {
  it("puts a service's listed flags before its entry point, and none when it lists none", () => {
    service("evaluator", { name: "@rea/evaluator", nodeFlags: ["--max-semi-space-size=32"] });
    service("api", { name: "@rea/api" });
    expect(serviceNodeArgs(scratch, "evaluator")).toEqual([
      "--max-semi-space-size=32",
      join(scratch, "services", "evaluator", "dist", "main.js"),
    ]);
    expect(serviceNodeArgs(scratch, "api")).toEqual([join(scratch, "services", "api", "dist", "main.js")]);
  });

  it("says which file is wrong when the flags are not a list of flags", () => {
    service("notifier", { name: "@rea/notifier", nodeFlags: "--max-semi-space-size=32" });
    expect(() => serviceNodeFlags(scratch, "notifier")).toThrow(/notifier.*package\.json: "nodeFlags" must be a list/);
  });

  it("starts every service of the repository with the same flags from npm start as from its launchers", () => {
    for (const name of readdirSync(join(ROOT, "services"))) {
      const pkg = JSON.parse(readFileSync(join(ROOT, "services", name, "package.json"), "utf8")) as {
        scripts: { start: string };
      };
      expect(pkg.scripts.start).toBe(["node", ...serviceNodeFlags(ROOT, name), "dist/main.js"].join(" "));
    }
    expect(serviceNodeFlags(ROOT, "evaluator")).toContain("--max-semi-space-size=32");
  });
});
