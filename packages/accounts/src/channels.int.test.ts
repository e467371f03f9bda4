import { connectBus, provision, silentLogger } from "@rea/bus";
import type { Channel } from "@rea/contracts";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelMutedUntil, channelsOf, muteChannel, unmuteChannel } from "./index.js";
import { openStores } from "./deps.js";
import type { Stores } from "./deps.js";

let server: NatsServerHandle;
let nc: NatsConnection;
let stores: Stores;
let seq = 0;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectBus({ servers: server.url, name: "accounts-channels-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  stores = await openStores(nc);
});
afterAll(async () => {
  await nc.close();
  await server.stop();
});

async function telegramChannel(): Promise<Channel> {
  const n = String(++seq).padStart(8, "0");
  const ch: Channel = {
    id: `c_chat${n}`,
    userId: `u_user${n}`,
    type: "telegram",
    address: `90${n}`,
    status: "active",
    createdAt: "2025-03-01T00:00:00Z",
  };
  await stores.channels.put(`${ch.userId}.${ch.id}`, ch);
  return ch;
}

describe("muting a channel", () => {
  const now = Date.parse("2025-03-11T08:00:00Z");

  it("keeps the end of the mute on the channel until it is unmuted", async () => {
    const ch = await telegramChannel();
    await muteChannel({ stores }, ch, now + 2 * 3_600_000);
    const [muted] = await channelsOf({ stores }, ch.userId);
    expect(muted).toMatchObject({ status: "active", mutedUntil: "2025-03-11T10:00:00.000Z" });
    expect(channelMutedUntil(muted!, now)).toBe("2025-03-11T10:00:00.000Z");
    expect(channelMutedUntil(muted!, now + 2 * 3_600_000)).toBeUndefined();
    await unmuteChannel({ stores }, ch);
    const [unmuted] = await channelsOf({ stores }, ch.userId);
    expect(unmuted).not.toHaveProperty("mutedUntil");
    expect(await unmuteChannel({ stores }, ch)).toEqual(unmuted);
  });

  it("never undoes a change made since the channel was read", async () => {
    const ch = await telegramChannel();
    await stores.channels.put(`${ch.userId}.${ch.id}`, {
      ...ch,
      status: "disabled",
      disabledReason: "Telegram 403: Forbidden: bot was blocked by the user",
    });
    await muteChannel({ stores }, ch, now + 3_600_000);
    expect((await stores.channels.get(`${ch.userId}.${ch.id}`))?.value).toMatchObject({
      status: "disabled",
      mutedUntil: "2025-03-11T09:00:00.000Z",
    });
  });

  it("is a 404 for a channel that is gone", async () => {
    const ch = await telegramChannel();
    await stores.channels.delete(`${ch.userId}.${ch.id}`);
    await expect(muteChannel({ stores }, ch, now + 3_600_000)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
