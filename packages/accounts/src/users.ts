/** Users and their API keys: a key is shown once and stored only as a hash. */
import { AppError } from "@rea/contracts";
import type { CreateUser, PublicUser, QuietHours, User } from "@rea/contracts";
import type { AccountsDeps } from "./deps.js";
import { startEmailVerification } from "./email-verification.js";
import { newApiKey, newId, sha256 } from "./ids.js";

export const publicUser = ({ apiKeyHash: _hash, ...rest }: User): PublicUser => rest;

export interface CreatedUser {
  user: User;
  /** shown once */
  apiKey: string;
  /** the pending email channel, when an address was given */
  emailChannelId: string | undefined;
}

export async function createUser(deps: AccountsDeps, body: CreateUser): Promise<CreatedUser> {
  const apiKey = newApiKey();
  const now = new Date(deps.now()).toISOString();
  const user: User = {
    id: newId("u"),
    name: body.name,
    ...(body.email === undefined ? {} : { email: body.email }),
    timezone: body.timezone,
    apiKeyHash: sha256(apiKey),
    createdAt: now,
  };
  await deps.stores.users.create(user.id, user);
  await deps.stores.apikeys.put(user.apiKeyHash, { userId: user.id, createdAt: now });
  const emailChannelId =
    body.email === undefined ? undefined : (await startEmailVerification(deps, user.id, body.email)).id;
  deps.logger.info({ userId: user.id }, "user created");
  return { user, apiKey, emailChannelId };
}

/**
 * The user holding this API key, or undefined. The key must be the user's
 * current one: a key record left behind by an interrupted rotation opens nothing.
 */
export async function userByApiKey(deps: Pick<AccountsDeps, "stores">, apiKey: string): Promise<User | undefined> {
  const hash = sha256(apiKey);
  const key = await deps.stores.apikeys.get(hash);
  if (key === undefined) return undefined;
  const user = (await deps.stores.users.get(key.value.userId))?.value;
  return user?.apiKeyHash === hash ? user : undefined;
}

/** Reads a user with its revision for a compare-and-set write; 404 when it is gone. */
async function userForUpdate(deps: AccountsDeps, userId: string): Promise<{ user: User; revision: number }> {
  const found = await deps.stores.users.get(userId);
  if (found === undefined) throw new AppError("NOT_FOUND", `no user ${userId}`);
  return { user: found.value, revision: found.revision };
}

/**
 * Replaces the user's API key: the new key is returned (shown once) and the old
 * one stops working at once. The user record is written with compare-and-set,
 * so a concurrent profile change cannot bring the old key back.
 */
export async function rotateApiKey(
  deps: AccountsDeps,
  userId: string,
): Promise<{ apiKey: string; user: User; createdAt: string }> {
  const { user, revision } = await userForUpdate(deps, userId);
  const apiKey = newApiKey();
  const createdAt = new Date(deps.now()).toISOString();
  const next: User = { ...user, apiKeyHash: sha256(apiKey) };
  await deps.stores.apikeys.put(next.apiKeyHash, { userId, createdAt });
  try {
    await deps.stores.users.update(userId, next, revision);
  } catch (e) {
    await deps.stores.apikeys.delete(next.apiKeyHash);
    throw e;
  }
  await deps.stores.apikeys.delete(user.apiKeyHash);
  deps.logger.info({ userId }, "API key rotated");
  return { apiKey, user: next, createdAt };
}

export interface ProfilePatch {
  timezone?: string | undefined;
  /** null clears quiet hours */
  quietHours?: QuietHours | null | undefined;
}

/** Changes timezone or quiet hours (compare-and-set, so a key rotation in between is kept). */
export async function updateProfile(deps: AccountsDeps, userId: string, patch: ProfilePatch): Promise<User> {
  const { user, revision } = await userForUpdate(deps, userId);
  const { quietHours: _q, ...base } = user;
  const quiet = patch.quietHours === undefined ? user.quietHours : (patch.quietHours ?? undefined);
  const next: User = {
    ...base,
    ...(patch.timezone === undefined ? {} : { timezone: patch.timezone }),
    ...(quiet === undefined ? {} : { quietHours: quiet }),
  };
  await deps.stores.users.update(userId, next, revision);
  return next;
}
