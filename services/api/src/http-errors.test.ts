import { ERROR_CODES } from "@rea/contracts";
import { createLogger } from "@rea/runtime";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { onError } from "./http-errors.js";

async function thrown(err: Error): Promise<{ status: number; body: unknown }> {
  const app = new Hono();
  app.onError(onError(createLogger("api", "silent")));
  app.get("/", () => {
    throw err;
  });
  const res = await app.request("/");
  return { status: res.status, body: await res.json() };
}

describe("onError", () => {
  it("answers an unsupported media type as a 400 that says how to send the body", async () => {
    expect(await thrown(new HTTPException(415, { message: "Unsupported Media Type" }))).toEqual({
      status: 400,
      body: {
        error: { code: "MALFORMED_JSON", message: 'send the body as JSON with "Content-Type: application/json"' },
      },
    });
  });

  it.each([
    [401, 401, "UNAUTHORIZED"],
    [403, 403, "FORBIDDEN"],
    [404, 404, "NOT_FOUND"],
    [405, 400, "VALIDATION"],
    [409, 409, "CONFLICT"],
    [418, 400, "VALIDATION"],
    [422, 422, "UNPROCESSABLE"],
    [429, 429, "RATE_LIMITED"],
    [500, 500, "INTERNAL"],
    [502, 500, "INTERNAL"],
    [503, 503, "UNAVAILABLE"],
  ] as const)("answers an HTTPException %i as %i %s, a code of the error shape", async (thrownStatus, status, code) => {
    const r = await thrown(new HTTPException(thrownStatus, { message: "from hono" }));
    expect(r.status).toBe(status);
    expect(ERROR_CODES[code]).toBe(status);
    expect(r.body).toEqual({ error: { code, message: code === "INTERNAL" ? "internal error" : "from hono" } });
  });
});
