import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { classifySmtpError } from "./email/smtp-errors.js";
import { TelegramPacing } from "./telegram/pacing.js";
import { classifyTelegramError } from "./telegram/telegram-channel.js";
import { formatTelegram } from "./telegram/telegram-format.js";

function fakeClock() {
  const clock = { now: 0, slept: [] as number[] };
  return {
    clock,
    opts: {
      now: () => clock.now,
      sleep: (ms: number) => {
        clock.slept.push(ms);
        return Promise.resolve();
      },
    },
  };
}

describe("TelegramPacing", () => {
  it("spaces messages to one chat by a second", async () => {
    const { clock, opts } = fakeClock();
    const pacing = new TelegramPacing(opts);
    await pacing.acquire("1");
    await pacing.acquire("1");
    await pacing.acquire("1");
    expect(clock.slept).toEqual([1000, 2000]);
  });

  it("lets different chats go at once, up to thirty a second overall", async () => {
    const { clock, opts } = fakeClock();
    const pacing = new TelegramPacing(opts);
    for (let i = 0; i < 30; i++) await pacing.acquire(`chat${i}`);
    expect(clock.slept).toEqual([]);
    await pacing.acquire("chat30");
    expect(clock.slept).toEqual([1000]);
  });
});

describe("formatTelegram", () => {
  it("escapes HTML and puts the subject in bold", () => {
    expect(formatTelegram({ subject: "TB_OXIDE > 6,000", text: "a < b & c" })).toEqual([
      "<b>TB_OXIDE &gt; 6,000</b>\na &lt; b &amp; c",
    ]);
  });

  it("splits at line breaks into parts within the limit, losing nothing", () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    const parts = formatTelegram({ subject: "s", text }, 100);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(100);
    expect(parts.join("\n")).toBe(`<b>s</b>\n${text}`);
  });

  it("cuts a single overlong line without splitting an HTML entity", () => {
    const parts = formatTelegram({ subject: "s", text: "&".repeat(50) }, 22);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(22);
      expect(p).not.toMatch(/&(?!amp;)/);
    }
    expect(parts.slice(1).join("")).toBe("&amp;".repeat(50));
  });
});

describe("classifySmtpError", () => {
  it("treats 4xx and connection errors as transient, 5xx and bad envelopes as permanent", () => {
    expect(classifySmtpError({ responseCode: 451, response: "451 try later" }).permanent).toBe(false);
    expect(classifySmtpError({ responseCode: 550, response: "550 no such user" }).permanent).toBe(true);
    expect(classifySmtpError({ code: "ECONNECTION", message: "refused" }).permanent).toBe(false);
    expect(classifySmtpError({ code: "EENVELOPE", message: "no recipients" }).permanent).toBe(true);
    expect(classifySmtpError({ code: "EAUTH", message: "bad login" }).permanent).toBe(false);
  });

  it("keeps a refused login transient even with its 535 reply, and flags it for the operator", () => {
    const err = classifySmtpError({ code: "EAUTH", responseCode: 535, command: "AUTH PLAIN", response: "535 bad" });
    expect(err).toMatchObject({ permanent: false, disablesChannel: false, misconfigured: true });
  });

  it("blames the mail setup, not the address, for a 5xx before the recipient is named", () => {
    const sender = { code: "EENVELOPE", responseCode: 553, command: "MAIL FROM", response: "553 sender rejected" };
    const greeting = { code: "EPROTOCOL", responseCode: 554, command: "CONN", response: "554 no service" };
    for (const e of [sender, greeting]) {
      expect(classifySmtpError(e)).toMatchObject({ permanent: false, misconfigured: true });
    }
  });

  it("keeps a 5xx to the recipient or the message permanent, and a 503 (bad sequence) transient", () => {
    const rcpt = { code: "EENVELOPE", responseCode: 550, command: "RCPT TO", response: "550 no such user" };
    const data = { code: "EMESSAGE", responseCode: 554, command: "DATA", response: "554 rejected" };
    for (const e of [rcpt, data]) {
      expect(classifySmtpError(e)).toMatchObject({ permanent: true, disablesChannel: true });
    }
    expect(classifySmtpError({ code: "EMESSAGE", responseCode: 503, command: "DATA" }).permanent).toBe(false);
  });
});

describe("classifyTelegramError", () => {
  const failure = (error_code: number, description: string) =>
    classifyTelegramError(
      new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code, description }, "sendMessage", {}),
    );

  it("disables the chat only when the chat itself is gone or closed to the bot", () => {
    for (const [code, description] of [
      [403, "Forbidden: bot was blocked by the user"],
      [403, "Forbidden: bot is not a member of the channel chat"],
      [400, "Bad Request: chat not found"],
      [400, "Bad Request: group chat was upgraded to a supergroup chat"],
      [400, "Bad Request: not enough rights to send text messages to the chat"],
    ] as const) {
      expect(failure(code, description)).toMatchObject({ permanent: true, disablesChannel: true });
    }
  });

  it("refuses only the message on any other 4xx, and blames the bot's setup for 401 and 404", () => {
    for (const description of ["Bad Request: can't parse entities", "Bad Request: message is too long"]) {
      expect(failure(400, description)).toMatchObject({ permanent: true, disablesChannel: false });
    }
    for (const code of [401, 404]) {
      expect(failure(code, "Unauthorized")).toMatchObject({ permanent: false, misconfigured: true });
    }
    expect(failure(500, "Internal Server Error")).toMatchObject({ permanent: false, misconfigured: false });
  });
});
