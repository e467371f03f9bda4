/**
 * A user's whole journey through real processes: an admin creates the user,
 * who links Telegram with /start <code> through the Bot API, verifies an email
 * address, creates one rule with /watch and one through the API, previews a
 * third on stored history; then prices arrive and both channels receive each
 * alert exactly once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeTelegram, startNatsServer, startSmtpCapture } from "@rea/testkit";
import type { FakeTelegram, NatsServerHandle, SmtpCapture } from "@rea/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../support/api-client.js";
import { freePort, startService, until } from "../support/processes.js";
import type { ServiceProcess } from "../support/processes.js";

const ADMIN = "journey-admin-token-0123456789";
const CHAT = 777001;
let nats: NatsServerHandle;
let smtp: SmtpCapture;
let tg: FakeTelegram;
let dataDir: string;
const services: ServiceProcess[] = [];
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  nats = await startNatsServer();
  smtp = await startSmtpCapture();
  tg = await startFakeTelegram();
  dataDir = mkdtempSync(join(tmpdir(), "rea-journey-"));
  const apiPort = await freePort();
  const env = {
    NATS_URL: nats.url,
    DATA_DIR: dataDir,
    API_ADMIN_TOKEN: ADMIN,
    SMTP_URL: smtp.url,
    API_PORT: String(apiPort),
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    // the SMM figures of early 2025 are history here
    BACKFILL_HORIZON_DAYS: "2000",
  };
  for (const name of ["api", "evaluator", "notifier", "bot"]) services.push(await startService(name, env));
  api = apiClient(`http://127.0.0.1:${apiPort}`);
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all(services.map((s) => s.stop()));
  await tg?.close();
  await smtp?.close();
  await nats?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  expect(codes).toEqual(services.map(() => 0));
});

const price = (instrument: string, value: number, day: string, unit: string) => ({
  instrument,
  price: value,
  unit,
  ts: `${day}T00:00:00Z`,
  source: "smm",
});

describe("a user's journey", () => {
  it("links Telegram, verifies email, sets rules three ways, and gets each alert once on both channels", async () => {
    const user = await api("POST", "/v1/users", ADMIN, { name: "Magnet buyer", email: "buyer@magnets.example" });
    expect(user.status).toBe(201);
    const key = user.body.apiKey as string;

    // email: the code arrives by mail
    const verification = await smtp.waitFor((m) => m.subject.startsWith("Your verification code"));
    const code = /([0-9]{6})/.exec(verification.subject)?.[1];
    expect((await api("POST", "/v1/channels/email/verify", key, { code })).status).toBe(200);

    // Telegram: a link code, sent to the bot from the chat
    const link = await api("POST", "/v1/channels/telegram", key, {});
    expect(link.status).toBe(201);
    tg.injectMessage(CHAT, `/start ${link.body.code as string}`);
    await tg.waitForSent((m) => String(m.chatId) === String(CHAT) && /linked/i.test(m.text), { timeoutMs: 10_000 });
    const channels = (await api("GET", "/v1/channels", key)).body.channels as Array<{ type: string; status: string }>;
    expect(channels.map((c) => `${c.type}:${c.status}`).sort()).toEqual(["email:active", "telegram:active"]);

    // history loaded quietly: the SMM averages of 27 January 2025 (and Dy oxide on 28 February)
    const quiet = await api("POST", "/v1/prices?alerts=false", ADMIN, {
      prices: [
        price("PRND_OXIDE", 415000, "2025-01-27", "CNY/t"),
        price("TB_OXIDE", 5940, "2025-01-27", "CNY/kg"),
        price("DY_OXIDE", 1665, "2025-01-27", "CNY/kg"),
        price("DY_OXIDE", 1710, "2025-02-28", "CNY/kg"),
      ],
    });
    expect(quiet.body).toMatchObject({ accepted: 4, rejected: [] });

    // a rule from the chat, a rule through the API, a preview of a third
    tg.injectMessage(CHAT, "/watch PRND_OXIDE above 450000");
    await tg.waitForSent(
      (m) => String(m.chatId) === String(CHAT) && m.text.startsWith("Watching PRND_OXIDE above 450,000"),
      {
        timeoutMs: 10_000,
      },
    );
    const viaApi = await api("POST", "/v1/rules", key, {
      instrument: "TB_OXIDE",
      condition: { type: "change", direction: "up", pct: 5, window: "30d" },
    });
    expect(viaApi.status).toBe(201);
    const preview = await api("POST", "/v1/rules/preview", key, {
      instrument: "DY_OXIDE",
      condition: { type: "change", direction: "up", pct: 2, window: "30d" },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.firings).toHaveLength(1);
    expect(preview.body.firings[0].text).toContain("+2.70%");
    const rules = (await api("GET", "/v1/rules", key)).body.rules as unknown[];
    expect(rules).toHaveLength(2); // the preview saved nothing

    // prices arrive: the one-year high of Pr-Nd oxide and terbium oxide's February
    const live = await api("POST", "/v1/prices", ADMIN, {
      prices: [price("PRND_OXIDE", 451000, "2025-02-25", "CNY/t"), price("TB_OXIDE", 6475, "2025-02-28", "CNY/kg")],
    });
    expect(live.body).toMatchObject({ accepted: 2, rejected: [] });

    const mails = await smtp.waitForCount(3, { timeoutMs: 15_000 }); // verification + two alerts
    const alertMails = mails.filter((m) => !m.subject.startsWith("Your verification code"));
    expect(alertMails.map((m) => m.subject).sort()).toEqual([
      "PRND_OXIDE above 450,000 CNY/t",
      "TB_OXIDE up 9.01% in 30d",
    ]);
    // an alert message opens with its title in bold (the bot's own replies do not)
    const isAlert = (text: string) =>
      text.startsWith("<b>PRND_OXIDE above 450,000 CNY/t</b>") || text.startsWith("<b>TB_OXIDE up 9.01% in 30d</b>");
    await until("both Telegram alerts", () => (tg.sent.filter((m) => isAlert(m.text)).length >= 2 ? true : undefined));

    // nothing more arrives: each alert once per channel
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.messages.filter((m) => !m.subject.startsWith("Your verification code"))).toHaveLength(2);
    const tgAlerts = tg.sent.filter((m) => isAlert(m.text));
    expect(tgAlerts).toHaveLength(2);
    expect(tgAlerts.every((m) => String(m.chatId) === String(CHAT))).toBe(true);

    // the alerts list shows both, delivered on both channels
    const alerts = (await api("GET", "/v1/alerts", key)).body.alerts as Array<{
      deliveries: Array<{ status: string }>;
    }>;
    expect(alerts).toHaveLength(2);
    for (const a of alerts) expect(a.deliveries.map((d) => d.status).sort()).toEqual(["sent", "sent"]);
  }, 90_000);
});
