export { channelsOf, deleteChannel } from "./channels.js";
export { DEFAULT_ACCOUNT_LIMITS, openStores } from "./deps.js";
export type { AccountLimits, AccountsDeps, Stores } from "./deps.js";
export { RESEND_INTERVAL_MS, startEmailVerification, verifyEmailCode } from "./email-verification.js";
export { newApiKey, newCode, newId, randomBase62, sha256 } from "./ids.js";
export { createRule, deleteRule, draftRule, ownRule, patchRule, ruleKey, rulesOf } from "./rules.js";
export { linkTelegramChat, startTelegramLink } from "./telegram-link.js";
export { createUser, publicUser, rotateApiKey, updateProfile, userByApiKey } from "./users.js";
export type { CreatedUser, ProfilePatch } from "./users.js";
