/**
 * Bearer authentication: the admin token for admin routes, hashed API keys for
 * users. A user's key on an admin route is a 403, an unknown token a 401. Once
 * a request is authenticated, it takes one request from its key's rate limit
 * (429 with Retry-After when the bucket is empty).
 */
import { timingSafeEqual } from "node:crypto";
import { AppError } from "@rea/contracts";
import type { User } from "@rea/contracts";
import type { MiddlewareHandler } from "hono";
import type { ApiDeps } from "./deps.js";
import { sha256, userByApiKey } from "@rea/accounts";

export interface AppEnv {
  Variables: { user: User };
}

function bearer(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!m?.[1]) throw new AppError("UNAUTHORIZED", "missing bearer token: send Authorization: Bearer <token>");
  return m[1];
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(sha256(a), "hex"), Buffer.from(sha256(b), "hex"));
}

function limit(deps: ApiDeps, key: string, perMinute: number): void {
  const decision = deps.rateLimiter?.take(key, perMinute);
  if (decision === undefined || decision.ok) return;
  throw new AppError("RATE_LIMITED", `more than ${perMinute} requests a minute with this key: slow down`, {
    retryAfterMs: decision.retryAfterMs,
  });
}

export function requireAdmin(deps: ApiDeps): MiddlewareHandler {
  return async (c, next) => {
    const token = bearer(c.req.header("Authorization"));
    if (!sameSecret(token, deps.adminToken)) {
      // a user's own key is known but not enough here; anything else is no credential at all
      if ((await userByApiKey(deps, token)) !== undefined) {
        throw new AppError("FORBIDDEN", "this route needs the admin token");
      }
      throw new AppError("UNAUTHORIZED", "invalid admin token");
    }
    limit(deps, "admin", deps.limits.adminRequestsPerMinute);
    await next();
  };
}

export function requireUser(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header("Authorization"));
    const user = await userByApiKey(deps, token);
    if (user === undefined) throw new AppError("UNAUTHORIZED", "invalid API key");
    limit(deps, `key:${user.apiKeyHash}`, deps.limits.requestsPerMinute);
    c.set("user", user);
    await next();
  };
}
