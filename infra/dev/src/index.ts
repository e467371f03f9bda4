export { DEMO_RULES, setupDemo } from "./demo-setup.js";
export type { DemoUser } from "./demo-setup.js";
export { formatLine, makePrefix } from "./log-printer.js";
export { findNatsServer, firstServer, reachable, startLocalNats } from "./nats-local.js";
