/** Users and their API keys: a key is shown once and stored only as a hash. */
import type { CreateUser, PublicUser, User } from "@rea/contracts";
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

/** The user holding this API key, or undefined. */
export async function userByApiKey(deps: Pick<AccountsDeps, "stores">, apiKey: string): Promise<User | undefined> {
  const key = await deps.stores.apikeys.get(sha256(apiKey));
  return key === undefined ? undefined : (await deps.stores.users.get(key.value.userId))?.value;
}
