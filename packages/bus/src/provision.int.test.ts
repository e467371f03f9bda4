import {
  AppError,
  BUCKETS,
  INSTRUMENT_CATALOGUE,
  InstrumentSchema,
  PriceMessageSchema,
  STREAMS,
  priceMsgId,
  subjects,
} from "@rea/contracts";
import type { PriceMessage } from "@rea/contracts";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBus } from "./connection.js";
import { silentLogger } from "./logger.js";
import { provision } from "./provision.js";
import { publishJson } from "./publish.js";
import { TypedBucket } from "./typed-bucket.js";

let server: NatsServerHandle;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectBus({ servers: server.url, name: "test", logger: silentLogger });
});
afterAll(async () => {
  await nc.close();
  await server.stop();
});

const price: PriceMessage = {
  instrument: "PRND_OXIDE",
  price: 444000,
  unit: "CNY/t",
  ts: "2025-02-28T00:00:00Z",
  source: "smm",
};

describe("provision", () => {
  it("creates the streams, buckets and catalogue once; running it again changes nothing", async () => {
    const first = await provision(nc, { logger: silentLogger });
    expect(first.created).toEqual(
      expect.arrayContaining([
        "stream PRICES",
        "stream ALERTS",
        "stream DEADLETTER",
        "bucket rules",
        `${INSTRUMENT_CATALOGUE.length} catalogue instruments`,
      ]),
    );
    const second = await provision(nc, { logger: silentLogger });
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.unchanged).toContain("stream PRICES");

    const instruments = await TypedBucket.open(nc, BUCKETS.INSTRUMENTS, InstrumentSchema);
    expect((await instruments.get("TB_OXIDE"))?.value.unit).toBe("CNY/kg");
    expect((await instruments.keys()).length).toBe(INSTRUMENT_CATALOGUE.length);
  });

  it("never overwrites an instrument an admin changed", async () => {
    const instruments = await TypedBucket.open(nc, BUCKETS.INSTRUMENTS, InstrumentSchema);
    const tb = (await instruments.get("TB_OXIDE"))!.value;
    await instruments.put("TB_OXIDE", { ...tb, name: "Terbium oxide (renamed)" });
    await provision(nc, { logger: silentLogger });
    expect((await instruments.get("TB_OXIDE"))?.value.name).toBe("Terbium oxide (renamed)");
  });

  it("reports a stream that exists with the wrong subjects instead of changing it", async () => {
    const other = await startNatsServer();
    const nc2 = await connectBus({ servers: other.url, name: "test", logger: silentLogger });
    try {
      const jsm = await jetstreamManager(nc2);
      await jsm.streams.add({ name: "PRICES", subjects: ["quotes.>"] });
      const err = await provision(nc2, { logger: silentLogger }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toMatch(
        /stream PRICES exists with the wrong configuration: subjects are \[quotes\.>\], expected \[prices\.>\]/,
      );
    } finally {
      await nc2.close();
      await other.stop();
    }
  });
});

describe("publishJson", () => {
  it("drops a second price with the same Nats-Msg-Id", async () => {
    const js = jetstream(nc);
    const subject = subjects.price(price.instrument);
    const a = await publishJson(js, subject, PriceMessageSchema, price, { msgId: priceMsgId(price) });
    const b = await publishJson(js, subject, PriceMessageSchema, price, { msgId: priceMsgId(price) });
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(true);
    expect(b.seq).toBe(a.seq);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(STREAMS.PRICES.name, { subjects_filter: subject });
    expect(info.state.messages).toBe(1);
  });

  it("refuses to publish an invalid message and names the field", async () => {
    const js = jetstream(nc);
    const err = await publishJson(js, "prices.PRND_OXIDE", PriceMessageSchema, { ...price, price: -1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION");
    expect((err as AppError).details?.[0]).toEqual({ path: "price", message: "price must be greater than 0" });
  });
});

describe("connectBus", () => {
  it("fails with one clear line when nothing listens at NATS_URL", async () => {
    const err = await connectBus({
      servers: "nats://127.0.0.1:1",
      name: "test",
      logger: silentLogger,
      timeoutMs: 1000,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^cannot reach NATS at nats:\/\/127\.0\.0\.1:1: /);
  });
});
