/**
 * Requests per key per minute, as token buckets held in this process: each api
 * replica counts on its own, so N replicas behind a balancer allow up to N times
 * the limit. A bucket holds a minute's worth of requests and refills evenly.
 */

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  /** takes one request from `key`'s bucket of `perMinute` (0: unlimited) */
  take(key: string, perMinute: number): RateDecision;
}

interface Bucket {
  tokens: number;
  atMs: number;
  perMinute: number;
}

/**
 * @example
 * const limiter = createRateLimiter(Date.now);
 * limiter.take("apikey-hash", 300) // { ok: true, remaining: 299 }
 */
export function createRateLimiter(now: () => number, maxKeys = 100_000): RateLimiter {
  const buckets = new Map<string, Bucket>();

  const refill = (b: Bucket, at: number): void => {
    const elapsed = Math.max(0, at - b.atMs);
    b.tokens = Math.min(b.perMinute, b.tokens + (elapsed * b.perMinute) / 60_000);
    b.atMs = Math.max(b.atMs, at);
  };

  /** forgets buckets that are full again (the same as a new one), then the longest idle */
  const sweep = (at: number): void => {
    for (const [key, b] of buckets) {
      refill(b, at);
      if (b.tokens >= b.perMinute) buckets.delete(key);
    }
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  };

  return {
    take(key, perMinute) {
      if (perMinute <= 0) return { ok: true, remaining: Number.POSITIVE_INFINITY };
      const at = now();
      let b = buckets.get(key);
      if (b === undefined) {
        if (buckets.size >= maxKeys) sweep(at);
        b = { tokens: perMinute, atMs: at, perMinute };
        buckets.set(key, b);
      } else {
        // most recently used last, so a sweep drops the longest idle first
        buckets.delete(key);
        buckets.set(key, b);
        b.perMinute = perMinute;
        refill(b, at);
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true, remaining: Math.floor(b.tokens) };
      }
      return { ok: false, retryAfterMs: Math.ceil(((1 - b.tokens) * 60_000) / perMinute) };
    },
  };
}
