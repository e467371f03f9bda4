// Builders for the Telegram Bot API objects the fake server hands out: the
// bot's own user, messages, failure bodies and request payload decoding.

/** The bot user returned by getMe, shaped for grammY's `botInfo` option. */
export interface FakeBotInfo {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
  has_topics_enabled: boolean;
  allows_users_to_create_topics: boolean;
  can_manage_bots: boolean;
  supports_join_request_queries: boolean;
}

/** How the next matching call should fail. */
export interface TelegramFailure {
  /** HTTP status and `error_code`: 429, 403, 400, 500... */
  status: number;
  description?: string;
  /** Sent as `parameters.retry_after` (seconds); 429 defaults to 1. */
  retryAfter?: number;
}

/** A Telegram chat id: numeric, or `@channelusername`. */
export type ChatId = number | string;

export type TelegramMessage = Record<string, unknown> & { message_id: number; chat: { id: ChatId } };

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function makeBotInfo(token: string, username: string): FakeBotInfo {
  const id = Number(token.split(":")[0]);
  return {
    id: Number.isSafeInteger(id) && id > 0 ? id : 123456,
    is_bot: true,
    first_name: "Rare Earth Alerts",
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

export function privateChat(id: ChatId, firstName = "Test"): Record<string, unknown> & { id: ChatId } {
  return { id, type: "private", first_name: firstName };
}

export function commandEntities(text: string): Array<Record<string, unknown>> | undefined {
  if (!text.startsWith("/")) return undefined;
  const length = /^\/\S+/.exec(text)?.[0].length ?? 1;
  return [{ type: "bot_command", offset: 0, length }];
}

function defaultDescription(status: number, retryAfter: number | undefined): string {
  if (status === 429) return `Too Many Requests: retry after ${retryAfter ?? 1}`;
  if (status === 403) return "Forbidden: bot was blocked by the user";
  if (status === 400) return "Bad Request: chat not found";
  if (status === 401) return "Unauthorized";
  if (status === 404) return "Not Found";
  if (status >= 500) return "Internal Server Error";
  return `Error ${status}`;
}

export function failureBody(failure: TelegramFailure): Record<string, unknown> {
  const retryAfter = failure.retryAfter ?? (failure.status === 429 ? 1 : undefined);
  return {
    ok: false,
    error_code: failure.status,
    description: failure.description ?? defaultDescription(failure.status, retryAfter),
    ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
  };
}

/** A request the Bot API would reject, answered as `{ ok: false }`. */
export class BotApiError extends Error {
  constructor(
    readonly status: number,
    description: string,
  ) {
    super(description);
  }
}

const NUMERIC_FIELDS = new Set([
  "chat_id",
  "message_id",
  "offset",
  "limit",
  "timeout",
  "reply_to_message_id",
  "user_id",
  "cache_time",
]);

/** Decodes a string field from a query string or form body. */
function coerce(key: string, value: string): unknown {
  if (NUMERIC_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (value.startsWith("{") || value.startsWith("[")) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  if (value === "true" || value === "false") return value === "true";
  return value;
}

export function decodeParams(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of params) out[key] = coerce(key, value);
  return out;
}

/** Parses a request body sent as JSON or as a url-encoded form. */
export function decodeBody(contentType: string, body: string): Record<string, unknown> {
  if (body.trim() === "") return {};
  if (contentType.includes("application/x-www-form-urlencoded")) return decodeParams(new URLSearchParams(body));
  if (contentType.includes("multipart/form-data"))
    throw new BotApiError(400, "Bad Request: file uploads are not supported");
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BotApiError(400, "Bad Request: can't parse JSON object");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new BotApiError(400, "Bad Request: parameters must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}
