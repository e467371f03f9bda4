// The state and method implementations behind the fake Telegram Bot API: the
// update queue with long polling, sent and edited messages, the webhook and
// command settings, and the record of calls.

import type { ServerResponse } from "node:http";
import { BotApiError, nowSeconds, privateChat } from "./telegram-objects.js";
import type { ChatId, FakeBotInfo, TelegramMessage } from "./telegram-objects.js";

/** One recorded Bot API call. */
export interface TelegramCall {
  method: string;
  payload: Record<string, unknown>;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  /** Present when the call was answered with `ok: false`. */
  failed?: true;
}

/** A message the bot sent with sendMessage. */
export interface SentMessage {
  chatId: ChatId;
  text: string;
  parseMode?: string;
  replyMarkup?: unknown;
  messageId: number;
}

type Payload = Record<string, unknown>;
type Update = Record<string, unknown> & { update_id: number };

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const isChatId = (v: unknown): v is ChatId =>
  (typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && v !== "");

function requireChatId(p: Payload): ChatId {
  if (!isChatId(p["chat_id"])) throw new BotApiError(400, "Bad Request: chat_id is empty");
  return p["chat_id"];
}

/** Creates the fake Bot API state for one bot. */
export function createBotApi(botInfo: FakeBotInfo) {
  const calls: TelegramCall[] = [];
  const sent: SentMessage[] = [];
  const messages = new Map<string, TelegramMessage>();
  let updates: Update[] = [];
  const pollWakers = new Set<() => void>();
  const listeners: Array<() => void> = [];
  let nextUpdateId = 1;
  let messageCounter = 0;
  let callbackCounter = 0;
  let webhookUrl = "";
  let commands: unknown[] = [];
  let closed = false;
  const botUser = { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username };

  const notify = (): void => listeners.forEach((l) => l());
  const key = (chatId: ChatId, messageId: number): string => `${chatId}/${messageId}`;
  const wakePolls = (): void => {
    for (const wake of pollWakers) wake();
    pollWakers.clear();
  };

  function waitForUpdate(timeoutMs: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        pollWakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      pollWakers.add(wake);
      res.once("close", wake); // the client gave up (e.g. bot.stop())
    });
  }

  function editMessage(p: Payload, changes: Payload): TelegramMessage | true {
    if (p["inline_message_id"] !== undefined) return true;
    const chatId = requireChatId(p);
    const messageId = num(p["message_id"]);
    if (messageId === undefined) throw new BotApiError(400, "Bad Request: message identifier is not specified");
    const previous = messages.get(key(chatId, messageId));
    const edited: TelegramMessage = {
      ...(previous ?? { message_id: messageId, from: botUser, chat: privateChat(chatId), date: nowSeconds() }),
      ...changes,
      edit_date: nowSeconds(),
    };
    messages.set(key(chatId, messageId), edited);
    return edited;
  }

  const methods: Record<string, (p: Payload, res: ServerResponse) => unknown> = {
    getMe: () => botInfo,
    async getUpdates(p, res) {
      if (webhookUrl !== "") {
        throw new BotApiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      const offset = num(p["offset"]);
      if (offset !== undefined && offset < 0) updates = updates.slice(offset);
      else if (offset !== undefined) updates = updates.filter((u) => u.update_id >= offset);
      const limit = Math.min(Math.max(num(p["limit"]) ?? 100, 1), 100);
      const timeout = num(p["timeout"]) ?? 0;
      if (updates.length === 0 && timeout > 0 && !closed) await waitForUpdate(timeout * 1000, res);
      return closed ? [] : updates.slice(0, limit);
    },
    sendMessage(p) {
      const chatId = requireChatId(p);
      const text = p["text"];
      if (typeof text !== "string" || text.trim() === "")
        throw new BotApiError(400, "Bad Request: message text is empty");
      const messageId = ++messageCounter;
      const markup = p["reply_markup"];
      const parseMode = p["parse_mode"];
      const message: TelegramMessage = {
        message_id: messageId,
        from: botUser,
        chat: privateChat(chatId),
        date: nowSeconds(),
        text,
        ...(markup === undefined ? {} : { reply_markup: markup }),
      };
      messages.set(key(chatId, messageId), message);
      sent.push({
        chatId,
        text,
        messageId,
        ...(typeof parseMode === "string" ? { parseMode } : {}),
        ...(markup === undefined ? {} : { replyMarkup: markup }),
      });
      notify();
      return message;
    },
    editMessageText(p) {
      if (typeof p["text"] !== "string" || p["text"] === "")
        throw new BotApiError(400, "Bad Request: message text is empty");
      const markup = p["reply_markup"];
      return editMessage(p, { text: p["text"], ...(markup === undefined ? {} : { reply_markup: markup }) });
    },
    editMessageReplyMarkup: (p) => editMessage(p, { reply_markup: p["reply_markup"] }),
    answerCallbackQuery: () => true,
    deleteMessage(p) {
      const chatId = requireChatId(p);
      messages.delete(key(chatId, num(p["message_id"]) ?? 0));
      return true;
    },
    setWebhook(p) {
      if (typeof p["url"] !== "string") throw new BotApiError(400, "Bad Request: bad webhook: URL is empty");
      webhookUrl = p["url"];
      return true;
    },
    deleteWebhook(p) {
      webhookUrl = "";
      if (p["drop_pending_updates"] === true) updates = [];
      return true;
    },
    getWebhookInfo: () => ({ url: webhookUrl, has_custom_certificate: false, pending_update_count: updates.length }),
    setMyCommands(p) {
      commands = Array.isArray(p["commands"]) ? p["commands"] : [];
      return true;
    },
    getMyCommands: () => commands,
    getChat: (p) => privateChat(requireChatId(p)),
  };
  const methodNames = new Map(Object.keys(methods).map((m) => [m.toLowerCase(), m]));

  return {
    calls,
    sent,
    /** The canonical name of a supported method (names are case-insensitive). */
    resolveMethod: (name: string): string | undefined => methodNames.get(name.toLowerCase()),
    call: (method: string, payload: Payload, res: ServerResponse): Promise<unknown> =>
      Promise.resolve(methods[method]?.(payload, res)),
    record(call: TelegramCall): void {
      if (!calls.includes(call)) calls.push(call);
      notify();
    },
    onChange: (listener: () => void): void => void listeners.push(listener),
    enqueue(update: Payload): number {
      const given = num(update["update_id"]);
      const updateId = given ?? nextUpdateId;
      nextUpdateId = Math.max(nextUpdateId, updateId + 1);
      updates.push({ ...update, update_id: updateId });
      wakePolls();
      return updateId;
    },
    nextMessageId: (): number => ++messageCounter,
    nextCallbackId: (): number => ++callbackCounter,
    /** A stored message, or the last one stored in the chat when no id is given. */
    findMessage(chatId: ChatId, messageId?: number): TelegramMessage | undefined {
      if (messageId !== undefined) return messages.get(key(chatId, messageId));
      return [...messages.values()].reverse().find((m) => m.chat.id === chatId);
    },
    reset(): void {
      calls.length = 0;
      sent.length = 0;
      messages.clear();
      updates = [];
      webhookUrl = "";
      commands = [];
    },
    close(): void {
      closed = true;
      wakePolls();
    },
  };
}
