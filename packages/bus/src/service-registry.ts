/**
 * Registers a process as a NATS micro service: it answers `$SRV.PING`,
 * `$SRV.INFO` and `$SRV.STATS` (all, by name, and by name and id) in the
 * `io.nats.micro.v1` format, so `nats micro ls` and the api's ops view see it.
 * Written against the core client directly so it shares the service's connection.
 */
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { nuid } from "@nats-io/nats-core";

export interface ServiceRegistration {
  name: string;
  version: string;
  description: string;
  /** custom figures: health, consumer lag, feed freshness... included in STATS */
  status: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  metadata?: Record<string, string>;
}

export interface RegisteredService {
  id: string;
  stop(): Promise<void>;
}

/** The `data` of a service's STATS reply, as the api reads it. */
export interface ServiceStats {
  name: string;
  id: string;
  version: string;
  started: string;
  endpoints: Array<{ name: string; subject: string; data: Record<string, unknown> }>;
}

export async function registerService(nc: NatsConnection, reg: ServiceRegistration): Promise<RegisteredService> {
  const id = nuid.next();
  const started = new Date().toISOString();
  const base = { name: reg.name, id, version: reg.version, metadata: reg.metadata ?? {} };
  const statusSubject = `$SRV.STATUS.${reg.name}.${id}`;
  const replies: Record<string, () => Promise<object>> = {
    PING: () => Promise.resolve({ type: "io.nats.micro.v1.ping_response", ...base }),
    INFO: () =>
      Promise.resolve({
        type: "io.nats.micro.v1.info_response",
        ...base,
        description: reg.description,
        endpoints: [{ name: "status", subject: statusSubject, metadata: null }],
      }),
    STATS: async () => ({
      type: "io.nats.micro.v1.stats_response",
      ...base,
      started,
      endpoints: [
        {
          name: "status",
          subject: statusSubject,
          num_requests: 0,
          num_errors: 0,
          last_error: "",
          processing_time: 0,
          average_processing_time: 0,
          data: await reg.status(),
        },
      ],
    }),
  };
  const subs: Subscription[] = [];
  for (const [verb, reply] of Object.entries(replies)) {
    for (const subject of [`$SRV.${verb}`, `$SRV.${verb}.${reg.name}`, `$SRV.${verb}.${reg.name}.${id}`]) {
      subs.push(
        nc.subscribe(subject, {
          callback: (err, msg) => {
            if (err) return;
            void reply().then((body) => msg.respond(JSON.stringify(body)));
          },
        }),
      );
    }
  }
  subs.push(
    nc.subscribe(statusSubject, {
      callback: (err, msg) => {
        if (err) return;
        void Promise.resolve(reg.status()).then((body) => msg.respond(JSON.stringify(body)));
      },
    }),
  );
  await nc.flush();
  return {
    id,
    stop: async () => {
      for (const s of subs) s.unsubscribe();
      await nc.flush();
    },
  };
}

/** Asks every running service for its STATS; collects replies for `waitMs`. */
export async function collectServiceStats(nc: NatsConnection, waitMs = 500): Promise<ServiceStats[]> {
  const out: ServiceStats[] = [];
  const inbox = `_INBOX.${nuid.next()}`;
  const sub = nc.subscribe(inbox, {
    callback: (err, msg) => {
      if (err) return;
      try {
        out.push(msg.json<ServiceStats>());
      } catch {
        // a reply that is not JSON is not one of ours
      }
    },
  });
  nc.publish("$SRV.STATS", "", { reply: inbox });
  await new Promise((r) => setTimeout(r, waitMs));
  sub.unsubscribe();
  return out;
}
