/**
 * Telegram messages through grammY's Api, paced per chat and overall. A 429
 * asking for a short wait is waited out inside the send; every other failure
 * (network, timeout, 5xx) is handed back at once, classified, so the notifier's
 * backoff retries it and one unreachable Bot API never holds a send open.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Api, GrammyError, HttpError } from "grammy";
import type { Channel, OutgoingMessage, SendResult } from "../channel.js";
import { DeliveryError } from "../channel.js";
import { TelegramPacing } from "./pacing.js";
import { formatTelegram } from "./telegram-format.js";

export interface TelegramChannelOptions {
  token: string;
  apiRoot?: string;
  pacing?: TelegramPacing;
  /** waits up to this long inside one send for a 429's retry_after before handing back (default 5) */
  maxInlineRetrySeconds?: number;
  /**
   * gives up on one Bot API request after this long (default 10), so a hung request
   * ends well within the time the caller has for the whole delivery
   */
  requestTimeoutSeconds?: number;
}

/** 429s waited out inside one send, each for at most `maxInlineRetrySeconds` */
const INLINE_429_RETRIES = 3;

/**
 * @example const tg = createTelegramChannel({ token, apiRoot: "https://api.telegram.org" });
 */
export function createTelegramChannel(opts: TelegramChannelOptions): Channel {
  const api = new Api(opts.token, {
    timeoutSeconds: opts.requestTimeoutSeconds ?? 10,
    ...(opts.apiRoot === undefined ? {} : { apiRoot: opts.apiRoot }),
  });
  // auto-retry's own retries of network errors and 5xx back off for up to an hour
  // (network errors without any limit): they are handed back instead
  api.config.use(
    autoRetry({
      maxRetryAttempts: INLINE_429_RETRIES,
      maxDelaySeconds: opts.maxInlineRetrySeconds ?? 5,
      rethrowHttpErrors: true,
      rethrowInternalServerErrors: true,
    }),
  );
  const pacing = opts.pacing ?? new TelegramPacing();
  return {
    type: "telegram",
    describe: `Telegram Bot API ${new URL(opts.apiRoot ?? "https://api.telegram.org").host}`,
    async send(address: string, m: OutgoingMessage): Promise<SendResult> {
      const parts = formatTelegram(m);
      const ids: number[] = [];
      for (const [i, text] of parts.entries()) {
        await pacing.acquire(address);
        const last = i === parts.length - 1;
        try {
          const sent = await api.sendMessage(address, text, {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
            ...(last && m.buttons !== undefined
              ? {
                  reply_markup: {
                    inline_keyboard: m.buttons.map((row) =>
                      row.map((b) => ({ text: b.text, callback_data: b.callbackData })),
                    ),
                  },
                }
              : {}),
          });
          ids.push(sent.message_id);
        } catch (e) {
          throw classifyTelegramError(e);
        }
      }
      return { providerId: ids.join(",") };
    },
    close: () => Promise.resolve(),
  };
}

/**
 * a 400 that means the chat itself is gone or closed to the bot (every later
 * message would fail alike), not that this message was wrong
 */
const CHAT_GONE = new RegExp(
  [
    "chat not found",
    "bot was blocked",
    "user is deactivated",
    "bot was kicked",
    "not enough rights",
    "have no rights",
    "need administrator rights",
    "group chat was upgraded",
    "PEER_ID_INVALID",
    "CHAT_WRITE_FORBIDDEN",
    "CHAT_RESTRICTED",
  ].join("|"),
  "i",
);

/**
 * 403 (bot blocked or kicked, user deactivated) and a 400 saying the chat is
 * gone ("chat not found" and the like) are permanent and disable the chat; any
 * other 4xx refuses only this message.
 * 401 and 404 mean the bot's token or API root is wrong: transient and
 * `misconfigured`, never the chat's fault. 429, 5xx and network failures are
 * transient.
 */
export function classifyTelegramError(e: unknown): DeliveryError {
  if (e instanceof GrammyError) {
    const desc = `Telegram ${e.error_code}: ${e.description}`;
    const code = e.error_code;
    if (code === 429) {
      const after = e.parameters.retry_after;
      return new DeliveryError(desc, {
        permanent: false,
        cause: e,
        ...(after === undefined ? {} : { retryAfterMs: after * 1000 }),
      });
    }
    if (code === 401 || code === 404) {
      return new DeliveryError(desc, { permanent: false, misconfigured: true, cause: e });
    }
    if (code === 403 || (code === 400 && CHAT_GONE.test(e.description))) {
      return new DeliveryError(desc, { permanent: true, cause: e });
    }
    if (code >= 400 && code < 500) return new DeliveryError(desc, { permanent: true, messageOnly: true, cause: e });
    return new DeliveryError(desc, { permanent: false, cause: e });
  }
  if (e instanceof HttpError)
    return new DeliveryError(`Telegram unreachable: ${e.message}${causeCode(e.error)}`, { permanent: false, cause: e });
  return new DeliveryError(`Telegram failure: ${(e as Error).message}`, { permanent: false, cause: e });
}

/** the system error code behind a failed request (" (ECONNREFUSED)"), or its own message for a timeout */
function causeCode(cause: unknown): string {
  if (!(cause instanceof Error)) return "";
  if (/timed out after/.test(cause.message)) return ` (${cause.message})`;
  let c: unknown = cause;
  for (let depth = 0; c instanceof Error && depth < 4; depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string") return ` (${code})`;
    c = c.cause;
  }
  return "";
}
