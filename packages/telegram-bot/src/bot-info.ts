/**
 * The start-up check of a bot: one `getMe`, bounded in time and outside the
 * bot's own API client (which retries 429s and 5xx), so a wrong token or an
 * unreachable Bot API stops a start with one clear line instead of hanging it.
 */
import { Api, GrammyError } from "grammy";
import type { UserFromGetMe } from "grammy/types";

export const GET_ME_TIMEOUT_MS = 10_000;

/**
 * Asks the Bot API who the bot is; pass the answer as `botInfo` to createBot.
 * Rejects within `timeoutMs` with an Error that says what went wrong.
 * @example const botInfo = await fetchBotInfo({ token, apiRoot: config.TELEGRAM_API_ROOT });
 */
export async function fetchBotInfo(
  opts: { token: string; apiRoot?: string },
  timeoutMs = GET_ME_TIMEOUT_MS,
): Promise<UserFromGetMe> {
  const root = opts.apiRoot ?? "https://api.telegram.org";
  // a client of its own: no transformers, so no retries
  const api = new Api(opts.token, { apiRoot: root, timeoutSeconds: timeoutMs / 1000 });
  try {
    return await api.getMe();
  } catch (e) {
    const where = `the Telegram Bot API at ${new URL(root).host}`;
    if (e instanceof GrammyError) {
      throw new Error(
        e.error_code === 401 || e.error_code === 404
          ? `${where} refused TELEGRAM_BOT_TOKEN (${e.error_code} ${e.description})`
          : `${where} answered getMe with ${e.error_code} ${e.description}`,
        { cause: e },
      );
    }
    throw new Error(`${where} cannot be reached: ${cause(e).replaceAll(opts.token, "***")}`, { cause: e });
  }
}

/**
 * The error under grammY's HttpError, without the request URL (it holds the
 * token): "connect ECONNREFUSED 127.0.0.1:1", "Request to 'getMe' timed out after 10 seconds".
 */
function cause(e: unknown): string {
  const inner = (e as { error?: unknown }).error;
  const message = inner instanceof Error ? inner.message : e instanceof Error ? e.message : String(e);
  return /, reason: (.*)$/.exec(message)?.[1] ?? message;
}
