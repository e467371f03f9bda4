/**
 * The walking skeleton through real processes: the api takes prices, the
 * evaluator applies rules from KV, the notifier mails the alert over SMTP.
 */
import { DeadLetterSchema, STREAMS } from "@rea/contracts";
import type { DeadLetter } from "@rea/contracts";
import { readStream } from "@rea/bus";
import { startNatsServer, startSmtpCapture } from "@rea/testkit";
import type { NatsServerHandle, SmtpCapture } from "@rea/testkit";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../support/api-client.js";
import { freePort, startService, until } from "../support/processes.js";
import type { ServiceProcess } from "../support/processes.js";

const ADMIN = "e2e-admin-token-0123456789";
let nats: NatsServerHandle;
let smtp: SmtpCapture;
let nc: NatsConnection;
let dataDir: string;
const services: ServiceProcess[] = [];
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  nats = await startNatsServer();
  smtp = await startSmtpCapture();
  dataDir = mkdtempSync(join(tmpdir(), "rea-e2e-"));
  const apiPort = await freePort();
  const env = {
    NATS_URL: nats.url,
    DATA_DIR: dataDir,
    API_ADMIN_TOKEN: ADMIN,
    SMTP_URL: smtp.url,
    API_PORT: String(apiPort),
  };
  services.push(await startService("api", env));
  services.push(await startService("evaluator", { ...env, SNAPSHOT_INTERVAL_MS: "500" }));
  services.push(await startService("notifier", env));
  api = apiClient(`http://127.0.0.1:${apiPort}`);
  nc = await connect({ servers: nats.url });
}, 60_000);

afterAll(async () => {
  if (process.env.E2E_DUMP_LOGS) for (const s of services) console.log(s.name, s.logs.join("\n"));
  const codes = await Promise.all(services.map((s) => s.stop()));
  await nc?.close();
  await smtp?.close();
  await nats?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  // every service drains and exits cleanly on SIGTERM
  expect(codes).toEqual(services.map(() => 0));
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

async function deadLetters(): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const m of readStream(nc, { stream: STREAMS.DEADLETTER.name })) {
    out.push(DeadLetterSchema.parse(JSON.parse(new TextDecoder().decode(m.data))));
  }
  return out;
}

describe("price to alert through real services", () => {
  it("mails the alert with the instrument, price and threshold to the verified address only", async () => {
    const user = await api("POST", "/v1/users", ADMIN, { name: "Magnet buyer", email: "buyer@magnets.example" });
    expect(user.status).toBe(201);
    const key = user.body.apiKey as string;
    const verification = await smtp.waitFor((m) => m.subject.startsWith("Your verification code"));
    const code = /([0-9]{6})/.exec(verification.subject)?.[1];
    expect((await api("POST", "/v1/channels/email/verify", key, { code })).status).toBe(200);

    const rule = await api("POST", "/v1/rules", key, {
      instrument: "PRND_OXIDE",
      condition: { type: "above", value: 450000 },
      channels: ["email"],
    });
    expect(rule.status).toBe(201);
    const below = await api("POST", "/v1/rules", key, {
      instrument: "PRND_OXIDE",
      condition: { type: "below", value: 440000 },
      channels: ["email"],
    });
    expect(below.status).toBe(201);

    expect(
      (
        await api("POST", "/v1/prices", ADMIN, {
          instrument: "PRND_OXIDE",
          price: 444000,
          unit: "CNY/t",
          ts: minutesAgo(10),
          source: "smm",
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await api("POST", "/v1/prices", ADMIN, {
          instrument: "PRND_OXIDE",
          price: 451000,
          unit: "CNY/t",
          ts: minutesAgo(9),
          source: "smm",
        })
      ).status,
    ).toBe(202);

    const alert = await smtp.waitFor((m) => m.subject.includes("above"), { timeoutMs: 15_000 });
    expect(alert.to).toEqual(["buyer@magnets.example"]);
    expect(alert.subject).toBe("PRND_OXIDE above 450,000 CNY/t");
    expect(alert.text).toContain("PRND_OXIDE");
    expect(alert.text).toContain("451,000");
    expect(alert.text).toContain("450,000");
    expect(alert.headers["x-alert-id"]).toMatch(new RegExp(`^${rule.body.id}:1:\\d+$`));
  });

  it("dead-letters bad prices published straight onto the bus and still evaluates the next good one", async () => {
    const js = jetstream(nc);
    await js.publish(
      "prices.PRND_OXIDE",
      JSON.stringify({ instrument: "PRND_OXIDE", price: -5, unit: "CNY/t", ts: minutesAgo(8), source: "smm" }),
    );
    await js.publish(
      "prices.PRND_OXIDE",
      JSON.stringify({ instrument: "PRND_OXIDE", price: "cheap", unit: "CNY/t", ts: minutesAgo(8), source: "smm" }),
    );
    await js.publish(
      "prices.XX_OXIDE",
      JSON.stringify({ instrument: "XX_OXIDE", price: 100, unit: "CNY/t", ts: minutesAgo(8), source: "smm" }),
    );
    await js.publish("prices.PRND_OXIDE", "not json at all");
    await js.publish(
      "prices.PRND_OXIDE",
      JSON.stringify({ instrument: "PRND_OXIDE", price: 439000, unit: "CNY/t", ts: minutesAgo(7), source: "smm" }),
    );

    const alert = await smtp.waitFor((m) => m.subject.includes("below"), { timeoutMs: 15_000 });
    expect(alert.text).toContain("439,000");
    const letters = await until("four dead letters", async () => {
      const all = (await deadLetters()).filter((l) => l.origin === "evaluator");
      return all.length >= 4 ? all : undefined;
    });
    expect(letters.map((l) => l.reason)).toEqual([
      "invalid message: price: price must be greater than 0",
      "invalid message: price: price must be a number",
      "unknown instrument XX_OXIDE",
      expect.stringMatching(/^not valid JSON/),
    ]);
  });

  it("has the notifier say in its log that mail goes over SMTP, and to which server", () => {
    const notifier = services.find((s) => s.name === "notifier");
    const line = notifier?.logs.find((l) => l.includes('"msg":"email delivery"')) ?? "{}";
    expect(JSON.parse(line)).toMatchObject({ mail: `SMTP 127.0.0.1:${new URL(smtp.url).port}` });
  });
});
