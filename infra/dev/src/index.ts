export { DEMO_RULES, setupDemo } from "./demo-setup.js";
export type { DemoUser } from "./demo-setup.js";
export { formatLine, makePrefix } from "./log-printer.js";
export { chooseNats, findNatsServer, reachable, startLocalNats } from "./nats-local.js";
export type { NatsChoice } from "./nats-local.js";
