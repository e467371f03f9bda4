/**
 * GET /v1/alerts: the user's own alerts, read from `alerts.<userId>` in the
 * ALERTS stream, newest first, each with its delivery to each of the user's
 * channels (from the deliveries bucket). `since` filters on the time the alert
 * was published, so a client polling with its last check time sees alerts
 * raised for backfilled prices too.
 */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { channelsOf } from "@rea/accounts";
import { AlertListSchema, AlertsQuerySchema } from "@rea/contracts";
import type { AlertDelivery, AlertView, Channel } from "@rea/contracts";
import type { AppEnv } from "../auth.js";
import { requireUser } from "../auth.js";
import type { ApiDeps, StoredAlert } from "../deps.js";
import { validationHook } from "../http-errors.js";
import { errorResponses, jsonResponse } from "../request-bodies.js";

/**
 * A recorded outcome for each channel that has one; `pending` for an active
 * channel the alert is owed to (of a type the rule sends to, verified before the
 * alert was published) while nothing is recorded yet.
 */
async function deliveriesOf(deps: ApiDeps, stored: StoredAlert, channels: Channel[]): Promise<AlertDelivery[]> {
  const out: AlertDelivery[] = [];
  for (const ch of channels) {
    const rec = await deps.alerts.delivery(stored.alert.id, ch.id);
    if (rec !== undefined) {
      out.push({
        channelId: ch.id,
        channel: ch.type,
        status: rec.status,
        attempts: rec.attempts,
        ...(rec.reason === undefined ? {} : { reason: rec.reason }),
        at: rec.at,
      });
      continue;
    }
    const activeSince = Date.parse(ch.verifiedAt ?? ch.createdAt);
    const owed =
      ch.status === "active" &&
      stored.alert.channels.includes(ch.type) &&
      activeSince <= Date.parse(stored.publishedAt);
    if (owed) out.push({ channelId: ch.id, channel: ch.type, status: "pending", attempts: 0 });
  }
  return out;
}

export function alertRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/alerts",
      summary: "Your alerts, newest first, each with its delivery status per channel",
      description:
        "`since`: only alerts published at or after this time. `limit`: how many of the newest (default 50, at most 500).",
      middleware: requireUser(deps),
      request: { query: AlertsQuerySchema },
      responses: { 200: jsonResponse(AlertListSchema, "your alerts, newest first"), ...errorResponses(400, 401, 429) },
    }),
    async (c) => {
      const user = c.get("user");
      const q = c.req.valid("query");
      const stored = await deps.alerts.ofUser(user.id, {
        ...(q.since === undefined ? {} : { sinceMs: Date.parse(q.since) }),
        limit: q.limit,
      });
      const channels = await channelsOf(deps, user.id);
      const alerts: AlertView[] = [];
      for (const s of stored.reverse()) {
        alerts.push({ ...s.alert, publishedAt: s.publishedAt, deliveries: await deliveriesOf(deps, s, channels) });
      }
      return c.json({ alerts }, 200);
    },
  );
  return app;
}
