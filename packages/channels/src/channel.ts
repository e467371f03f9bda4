/**
 * The one interface every delivery channel implements (email, Telegram), and the
 * error that says whether a failed send may be retried and whether it disables
 * the channel.
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

export interface DeliveryErrorOptions {
  /** the send can never succeed: the delivery is recorded as failed with the message as its reason */
  permanent: boolean;
  /**
   * with `permanent`: the provider refused this message, not the address (Telegram 400 "can't parse
   * entities"), so the channel stays active for the next one. Otherwise a permanent failure means the
   * address is gone (bad address, bot blocked, chat gone) and the channel is disabled.
   */
  messageOnly?: boolean;
  /**
   * a transient failure of the sender's own setup (wrong bot token, SMTP login refused): every send
   * fails until an operator fixes it, so it is logged as an error. It never disables a user's channel.
   */
  misconfigured?: boolean;
  /** how long the provider asked to wait before the next try */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A failed send. `permanent` failures are recorded and not tried again; those
 * that are not `messageOnly` disable the channel. The rest are retried with
 * backoff, after `retryAfterMs` if the provider said how long to wait.
 */
export class DeliveryError extends AppError {
  readonly permanent: boolean;
  /** a permanent failure that means the address is gone: the channel is disabled */
  readonly disablesChannel: boolean;
  /** the sender's own setup is wrong (see {@link DeliveryErrorOptions.misconfigured}) */
  readonly misconfigured: boolean;

  constructor(message: string, opts: DeliveryErrorOptions) {
    super(opts.permanent ? "UNPROCESSABLE" : "UNAVAILABLE", message, {
      retryable: !opts.permanent,
      cause: opts.cause,
      ...(opts.retryAfterMs === undefined ? {} : { retryAfterMs: opts.retryAfterMs }),
    });
    this.permanent = opts.permanent;
    this.disablesChannel = opts.permanent && opts.messageOnly !== true;
    this.misconfigured = !opts.permanent && opts.misconfigured === true;
  }
}
