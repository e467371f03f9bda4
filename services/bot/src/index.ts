export { BotConfigSchema } from "./config.js";
export type { BotConfig } from "./config.js";
