#!/usr/bin/env node
// Makes a fresh checkout ready to run: dependencies (pnpm through npx, pinned),
// nats-server (from the OS package manager when missing), and the TypeScript
// build. Each step is skipped when already done, so running it again is quick.
// Usage: node scripts/setup.mjs [--quiet]
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const quiet = process.argv.includes("--quiet");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const PNPM = pkg.packageManager; // e.g. pnpm@10.34.8
const say = (msg) => {
  if (!quiet) process.stdout.write(`setup: ${msg}\n`);
};
const fail = (msg) => {
  process.stderr.write(`setup: ${msg}\n`);
  process.exit(1);
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit", ...opts });
  if (r.error) fail(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")} failed with exit code ${r.status}`);
}

// 1. Node
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19))
  fail(`Node ${process.versions.node} is too old: 20.19 or later is needed`);

// 2. Dependencies, when the lockfile or a manifest (the workspace's or a package's) changed since the last install
const manifests = ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"];
for (const dir of ["packages", "services", "infra"])
  for (const name of existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).sort() : [])
    manifests.push(join(dir, name, "package.json"));
manifests.push(join("test", "package.json"));
const hash = createHash("sha256");
for (const f of manifests) if (existsSync(join(ROOT, f))) hash.update(readFileSync(join(ROOT, f)));
const stampFile = join(ROOT, "node_modules", ".setup-stamp");
const stamp = hash.digest("hex");
if (!existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp) {
  say(`installing dependencies with ${PNPM}...`);
  const frozen = existsSync(join(ROOT, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  run("npx", ["--yes", PNPM, "install", ...frozen], { env: { ...process.env, npm_config_update_notifier: "false" } });
  writeFileSync(stampFile, stamp);
} else {
  say("dependencies are up to date");
}

// 3. nats-server (tests start their own; the launcher starts one when none answers)
const natsCandidates = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/bin"].map((d) =>
  join(d, "nats-server"),
);
if (!natsCandidates.some((p) => existsSync(p))) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (hasApt && isRoot) {
    say("installing nats-server with apt-get...");
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "nats-server"], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } else if (hasApt && spawnSync("sh", ["-c", "command -v sudo"], { stdio: "ignore" }).status === 0) {
    say("installing nats-server with sudo apt-get...");
    run("sudo", ["apt-get", "install", "-y", "-qq", "nats-server"]);
  } else {
    fail(
      "nats-server is missing: install it (Debian/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server) and run again",
    );
  }
}
try {
  const out = execFileSync(
    natsCandidates.find((p) => existsSync(p)),
    ["--version"],
    { encoding: "utf8" },
  ).trim();
  say(out);
} catch {
  // the version is informative only
}

// 4. Build (incremental: quick when nothing changed)
say("building...");
run(join(ROOT, "node_modules", ".bin", "tsc"), ["-b"]);
say("ready");
