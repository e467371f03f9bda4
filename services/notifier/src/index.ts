export { alertMessage } from "./alert-message.js";
export { Dispatcher, deliveryKey } from "./dispatcher.js";
export type { DispatchCounters, DispatcherDeps } from "./dispatcher.js";
export { NotifierConfigSchema } from "./config.js";
export type { NotifierConfig } from "./config.js";
