/**
 * The demo's user and rules, made through the public API like any client would.
 * Without SMTP the verification mail lands in the outbox folder, so the code is
 * read from there and the address verified, as a user would do by hand.
 */
import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface DemoUser {
  userId: string;
  apiKey: string;
  email: string;
}

export const DEMO_RULES = [
  {
    instrument: "PRND_OXIDE",
    condition: { type: "above", value: 450000 },
    rearm: { pct: 1 },
    note: "Pr-Nd oxide breaks 450,000 CNY/t (one-year high, Feb 2025)",
  },
  {
    instrument: "PRND_OXIDE",
    condition: { type: "change", direction: "up", pct: 5, window: "30d" },
    note: "Pr-Nd oxide up 5% in 30 days",
  },
  {
    instrument: "TB_OXIDE",
    condition: { type: "change", direction: "up", pct: 5, window: "30d" },
    note: "Terbium oxide up 5% in 30 days",
  },
  { instrument: "ND_OXIDE", condition: { type: "above", value: 700000 }, note: "Baotou Nd oxide above 700,000 CNY/t" },
] as const;

async function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

async function codeFromOutbox(outbox: string, channelId: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = existsSync(outbox) ? await readdir(outbox) : [];
    const mail = files.find((f) => f.includes(`verify-${channelId}`) && f.endsWith(".eml"));
    if (mail !== undefined) {
      const m = /^Subject: Your verification code: ([0-9]{6})/m.exec(await readFile(join(outbox, mail), "utf8"));
      if (m?.[1]) return m[1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no verification mail for ${channelId} in ${outbox}`);
}

/** Creates (or finds again) the demo user with a verified address and the demo rules. */
export async function setupDemo(opts: {
  apiBase: string;
  adminToken: string;
  dataDir: string;
  email: string;
  readOutbox: boolean;
  log: (line: string) => void;
}): Promise<DemoUser> {
  const file = join(opts.dataDir, "demo-user.json");
  if (existsSync(file)) {
    const saved = JSON.parse(await readFile(file, "utf8")) as DemoUser;
    const me = await call(opts.apiBase, saved.apiKey, "GET", "/v1/me");
    if (me.status === 200) {
      opts.log(`demo user ${saved.userId} found again`);
      return saved;
    }
  }
  const created = await call(opts.apiBase, opts.adminToken, "POST", "/v1/users", {
    name: "Demo analyst",
    email: opts.email,
  });
  if (created.status !== 201)
    throw new Error(`creating the demo user failed: ${created.status} ${JSON.stringify(created.json)}`);
  const body = created.json as { id: string; apiKey: string; emailChannel?: { id: string } };
  const user: DemoUser = { userId: body.id, apiKey: body.apiKey, email: opts.email };
  if (opts.readOutbox && body.emailChannel !== undefined) {
    const code = await codeFromOutbox(join(opts.dataDir, "outbox"), body.emailChannel.id);
    const v = await call(opts.apiBase, user.apiKey, "POST", "/v1/channels/email/verify", { code });
    if (v.status !== 200) throw new Error(`verifying the demo address failed: ${v.status} ${JSON.stringify(v.json)}`);
    opts.log(`demo address ${opts.email} verified with the code from the outbox`);
  } else {
    opts.log(
      `a verification code was mailed to ${opts.email}: POST /v1/channels/email/verify {"code":"..."} with the demo API key`,
    );
  }
  for (const rule of DEMO_RULES) {
    const r = await call(opts.apiBase, user.apiKey, "POST", "/v1/rules", { ...rule, channels: ["email", "telegram"] });
    if (r.status !== 201) throw new Error(`creating a demo rule failed: ${r.status} ${JSON.stringify(r.json)}`);
  }
  opts.log(`${DEMO_RULES.length} demo rules created`);
  await writeFile(file, JSON.stringify(user, null, 2), { mode: 0o600 });
  return user;
}
