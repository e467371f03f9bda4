import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit.js";

describe("rate limiter", () => {
  it("allows a minute's worth at once, then one more each 60/limit seconds", () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter(() => clock.now);
    const taken = Array.from({ length: 61 }, () => limiter.take("k", 60).ok);
    expect(taken.filter(Boolean)).toHaveLength(60);
    expect(limiter.take("k", 60)).toEqual({ ok: false, retryAfterMs: 1000 });
    clock.now += 1000;
    expect(limiter.take("k", 60)).toEqual({ ok: true, remaining: 0 });
    clock.now += 30_000;
    expect(limiter.take("k", 60)).toEqual({ ok: true, remaining: 29 });
  });

  it("keeps keys apart and does nothing when the limit is 0", () => {
    const limiter = createRateLimiter(() => 0);
    expect(limiter.take("a", 1).ok).toBe(true);
    expect(limiter.take("a", 1).ok).toBe(false);
    expect(limiter.take("b", 1).ok).toBe(true);
    for (let i = 0; i < 1000; i++) expect(limiter.take("c", 0).ok).toBe(true);
  });

  it("makes room by forgetting refilled keys first, so a key in use keeps its count", () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter(() => clock.now, 3);
    limiter.take("busy", 2);
    limiter.take("busy", 2);
    limiter.take("x", 2);
    limiter.take("y", 2);
    clock.now += 30_000;
    limiter.take("z", 2);
    expect(limiter.take("busy", 2)).toEqual({ ok: true, remaining: 0 });
    expect(limiter.take("busy", 2).ok).toBe(false);
  });
});
