/** Bearer authentication: the admin token for admin routes, hashed API keys for users. */
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

export function requireAdmin(deps: ApiDeps): MiddlewareHandler {
  return async (c, next) => {
    const token = bearer(c.req.header("Authorization"));
    if (!sameSecret(token, deps.adminToken)) throw new AppError("UNAUTHORIZED", "invalid admin token");
    await next();
  };
}

export function requireUser(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header("Authorization"));
    const user = await userByApiKey(deps, token);
    if (user === undefined) throw new AppError("UNAUTHORIZED", "invalid API key");
    c.set("user", user);
    await next();
  };
}
