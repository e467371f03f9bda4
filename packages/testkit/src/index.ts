// Public entry of @rea/testkit: real infrastructure for the product's tests
// (nats-server, JetStream cluster, SMTP capture, fake Telegram Bot API) and
// market price fixtures. The vitest global setup lives at "@rea/testkit/global-setup".

export { startNatsServer } from "./nats-server.js";
export type { NatsServerHandle, NatsServerOptions } from "./nats-server.js";
export { startNatsCluster } from "./nats-cluster.js";
export type { NatsClusterHandle } from "./nats-cluster.js";
export { probeJetStream } from "./nats-probe.js";
export { findNatsServerBinary, freePorts } from "./nats-process.js";
export { default as natsGlobalSetup } from "./global-setup.js";
export { startSmtpCapture } from "./smtp-capture.js";
export type { CapturedMail, SmtpCapture, SmtpCaptureOptions } from "./smtp-capture.js";
export { startFakeTelegram } from "./fake-telegram.js";
export type { FakeTelegram, FakeTelegramOptions, FakeTelegramUser } from "./fake-telegram.js";
export type { SentMessage, TelegramCall } from "./telegram-methods.js";
export type { ChatId, FakeBotInfo, TelegramFailure } from "./telegram-objects.js";
export type { WaitOptions } from "./wait-queue.js";
export {
  BAOTOU_2026,
  BAOTOU_2026_CHANGES,
  EQUITY_MOVES,
  PRND_OXIDE_ONE_YEAR_HIGH,
  SMM_2025,
  fixturePrice,
} from "./price-fixtures.js";
export type { EquityMove, PriceFixture } from "./price-fixtures.js";
