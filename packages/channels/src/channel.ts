/**
 * The one interface every delivery channel implements (email, Telegram), and the
 * error that says whether a failed send may be retried.
 */
import { AppError } from "@rea/contracts";
import type { ChannelType } from "@rea/contracts";

export interface OutgoingMessage {
  /** email subject; Telegram shows it as a bold first line */
  subject: string;
  /** plain text body */
  text: string;
  /** optional Telegram inline keyboard (reply_markup) */
  buttons?: Array<Array<{ text: string; callbackData: string }>>;
  /** id used in headers and file names for tracing (alert id) */
  reference?: string;
}

export interface SendResult {
  /** the provider's id of the message (SMTP message id, Telegram message id, outbox file) */
  providerId: string;
}

export interface Channel {
  readonly type: ChannelType;
  /** a short human description of where messages go ("SMTP mail.example.com", "outbox folder") */
  readonly describe: string;
  send(address: string, message: OutgoingMessage): Promise<SendResult>;
  close(): Promise<void>;
}

/**
 * A failed send. `permanent` failures (bad address, bot blocked, chat gone) disable
 * the channel; the rest are retried with backoff, after `retryAfterMs` if the
 * provider said how long to wait.
 */
export class DeliveryError extends AppError {
  readonly permanent: boolean;

  constructor(message: string, opts: { permanent: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(opts.permanent ? "UNPROCESSABLE" : "UNAVAILABLE", message, {
      retryable: !opts.permanent,
      cause: opts.cause,
      ...(opts.retryAfterMs === undefined ? {} : { retryAfterMs: opts.retryAfterMs }),
    });
    this.permanent = opts.permanent;
  }
}
