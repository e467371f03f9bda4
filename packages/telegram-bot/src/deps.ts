/** What the bot needs from the outside world. */
import type { AccountsDeps } from "@rea/accounts";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "pino";
import type { ChatDirectory } from "./chat-directory.js";

export interface LastPrice {
  price: number;
  unit: string;
  ts: string;
  source: string;
}

/** Reads the last price of an instrument (from the PRICES stream in production). */
export interface PricePort {
  last(instrument: string): Promise<LastPrice | undefined>;
}

export interface BotDeps {
  token: string;
  /** Bot API root; default https://api.telegram.org */
  apiRoot?: string;
  /** the bot's own user; without it the caller runs `await bot.init()` (long polling does it itself) */
  botInfo?: UserFromGetMe;
  accounts: AccountsDeps;
  prices: PricePort;
  /** `/start` without a code creates an account for the chat */
  selfSignup: boolean;
  logger: Logger;
  now: () => number;
  /**
   * Which account a chat belongs to. Default: a live view of the channels bucket,
   * started on first use; pass one to stop it on shutdown.
   */
  chats?: ChatDirectory;
}
