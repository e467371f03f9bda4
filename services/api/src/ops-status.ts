/** Gathers what `/v1/ops/status` and the `/ops` page show. */
import type { FeedFreshness, OpsStatus } from "@rea/contracts";
import type { ApiDeps } from "./deps.js";

export async function collectOpsStatus(deps: ApiDeps): Promise<OpsStatus> {
  const now = deps.now();
  const [services, consumers, deliveryFailures, instruments] = await Promise.all([
    deps.ops.services(),
    deps.ops.consumers(),
    deps.ops.deliveryFailures(deps.limits.recentDeliveryFailures),
    deps.stores.instruments.entries(),
  ]);
  const catalogue = [...instruments.values()].map((v) => v.value).sort((a, b) => a.id.localeCompare(b.id));
  const feeds = await Promise.all(
    catalogue.map(async (inst): Promise<FeedFreshness> => {
      const last = await deps.prices.last(inst.id);
      return {
        instrument: inst.id,
        unit: inst.unit,
        last: last === undefined ? null : { price: last.price, ts: last.ts, source: last.source, seq: last.seq },
        ageSeconds: last === undefined ? null : Math.round((now - Date.parse(last.ts)) / 1000),
      };
    }),
  );
  return { generatedAt: new Date(now).toISOString(), services, consumers, feeds, deliveryFailures };
}
