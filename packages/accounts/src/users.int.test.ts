import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectBus, provision, silentLogger } from "@rea/bus";
import { createEmailChannel } from "@rea/channels";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_LIMITS, openStores } from "./deps.js";
import type { AccountsDeps } from "./deps.js";
import { sha256 } from "./ids.js";
import { createUser, rotateApiKey, updateProfile, userByApiKey } from "./users.js";

let server: NatsServerHandle;
let nc: NatsConnection;
let deps: AccountsDeps;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectBus({ servers: server.url, name: "accounts-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  deps = {
    stores: await openStores(nc),
    mailer: createEmailChannel({
      smtpUrl: undefined,
      outboxDir: await mkdtemp(join(tmpdir(), "accounts-")),
      from: "alerts@localhost",
    }),
    limits: DEFAULT_ACCOUNT_LIMITS,
    now: () => Date.parse("2025-03-11T08:00:00Z"),
    logger: pino({ level: "silent" }),
  };
});
afterAll(async () => {
  await deps.mailer.close();
  await nc.close();
  await server.stop();
});

describe("API keys", () => {
  it("rotating gives a new key that opens the account and closes the old one", async () => {
    const { user, apiKey } = await createUser(deps, { name: "Buyer", timezone: "Asia/Shanghai" });
    const rotated = await rotateApiKey(deps, user.id);
    expect(rotated.apiKey).not.toBe(apiKey);
    expect(await userByApiKey(deps, apiKey)).toBeUndefined();
    expect((await userByApiKey(deps, rotated.apiKey))?.id).toBe(user.id);
    expect(await deps.stores.apikeys.get(sha256(apiKey))).toBeUndefined();
  });

  it("a key record left behind by an interrupted rotation opens nothing", async () => {
    const { user, apiKey } = await createUser(deps, { name: "Buyer", timezone: "Asia/Shanghai" });
    const rotated = await rotateApiKey(deps, user.id);
    await deps.stores.apikeys.put(sha256(apiKey), { userId: user.id, createdAt: "2025-03-11T08:00:00Z" });
    expect(await userByApiKey(deps, apiKey)).toBeUndefined();
    expect((await userByApiKey(deps, rotated.apiKey))?.id).toBe(user.id);
  });

  it("a profile change keeps the current key", async () => {
    const { user } = await createUser(deps, { name: "Buyer", timezone: "Asia/Shanghai" });
    const rotated = await rotateApiKey(deps, user.id);
    const changed = await updateProfile(deps, user.id, { quietHours: { start: "22:00", end: "07:00" } });
    expect(changed.apiKeyHash).toBe(sha256(rotated.apiKey));
    const cleared = await updateProfile(deps, user.id, { quietHours: null, timezone: "Europe/Berlin" });
    expect(cleared).not.toHaveProperty("quietHours");
    expect(cleared.timezone).toBe("Europe/Berlin");
    expect((await userByApiKey(deps, rotated.apiKey))?.timezone).toBe("Europe/Berlin");
  });

  it("rotating for an unknown user is a 404", async () => {
    await expect(rotateApiKey(deps, "u_NoSuchUser01")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
