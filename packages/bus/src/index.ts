export { MIN_SERVER_VERSION, compareVersions, connectBus, redactUrl } from "./connection.js";
export type { ConnectOptions } from "./connection.js";
export { consumeJson } from "./consume.js";
export type { ConsumeOptions, ConsumerHandle, ConsumerStats, MessageContext } from "./consume.js";
export { publishDeadLetter } from "./dead-letter.js";
export type { DeadLetterInput } from "./dead-letter.js";
export { silentLogger } from "./logger.js";
export type { BusLogger } from "./logger.js";
export {
  BUCKET_SPECS,
  STREAM_SPECS,
  consumerAckFloor,
  ensureConsumer,
  provision,
  recreateConsumer,
} from "./provision.js";
export type { BucketSpec, ConsumerSpec, ProvisionOptions, ProvisionReport, StreamSpec } from "./provision.js";
export { decodePrice, newestPrice, publishPrice } from "./prices.js";
export type { StoredPrice } from "./prices.js";
export { publishJson } from "./publish.js";
export type { PublishOptions } from "./publish.js";
export { collectServiceStats, registerService } from "./service-registry.js";
export type { RegisteredService, ServiceRegistration, ServiceStats } from "./service-registry.js";
export { TypedBucket } from "./typed-bucket.js";
export type { BucketChange, LiveView, Versioned } from "./typed-bucket.js";
export { readStream } from "./stream-reader.js";
export type { ReadOptions, StoredMessage } from "./stream-reader.js";
