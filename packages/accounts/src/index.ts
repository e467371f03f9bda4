export { DEFAULT_ACCOUNT_LIMITS, openStores } from "./deps.js";
export type { AccountLimits, AccountsDeps, Stores } from "./deps.js";
export { RESEND_INTERVAL_MS, startEmailVerification, verifyEmailCode } from "./email-verification.js";
export { newApiKey, newCode, newId, randomBase62, sha256 } from "./ids.js";
export { createRule, deleteRule, ownRule, patchRule, ruleKey, rulesOf } from "./rules.js";
export { linkTelegramChat, startTelegramLink } from "./telegram-link.js";
export { createUser, publicUser, userByApiKey } from "./users.js";
export type { CreatedUser } from "./users.js";
