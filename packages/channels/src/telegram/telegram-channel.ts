/** Telegram messages through grammY's Api, paced per chat and overall, with 429s retried. */
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
  /** waits up to this long inside one send for a 429's retry_after before handing back */
  maxInlineRetrySeconds?: number;
}

/**
 * @example const tg = createTelegramChannel({ token, apiRoot: "https://api.telegram.org" });
 */
export function createTelegramChannel(opts: TelegramChannelOptions): Channel {
  const api = new Api(opts.token, opts.apiRoot === undefined ? undefined : { apiRoot: opts.apiRoot });
  api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: opts.maxInlineRetrySeconds ?? 5 }));
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

const GONE = /chat not found|bot was blocked|user is deactivated|bot was kicked|not enough rights|have no rights/i;

/** 403 and "chat not found" are permanent; 429, 5xx and network failures are transient. */
export function classifyTelegramError(e: unknown): DeliveryError {
  if (e instanceof GrammyError) {
    const desc = `Telegram ${e.error_code}: ${e.description}`;
    if (e.error_code === 429) {
      const after = e.parameters.retry_after;
      return new DeliveryError(desc, {
        permanent: false,
        cause: e,
        ...(after === undefined ? {} : { retryAfterMs: after * 1000 }),
      });
    }
    if (e.error_code === 403 || (e.error_code === 400 && GONE.test(e.description))) {
      return new DeliveryError(desc, { permanent: true, cause: e });
    }
    if (e.error_code >= 500) return new DeliveryError(desc, { permanent: false, cause: e });
    return new DeliveryError(desc, { permanent: true, cause: e });
  }
  if (e instanceof HttpError)
    return new DeliveryError(`Telegram unreachable: ${e.message}`, { permanent: false, cause: e });
  return new DeliveryError(`Telegram failure: ${(e as Error).message}`, { permanent: false, cause: e });
}
