// Internal helper behind the `waitFor...` methods of the fake servers: waits
// until a condition over recorded traffic holds, re-checked on every change,
// and times out with a description of what was actually recorded.

export const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

/** Options for the `waitFor...` helpers. */
export interface WaitOptions {
  /** Give up after this many milliseconds (default 10 000). */
  timeoutMs?: number;
}

interface Waiter {
  check(): boolean;
  fail(err: Error): void;
}

/** Pending waits over some recorded state. */
export interface WaitQueue {
  /**
   * Resolves with the first non-undefined result of `match`, checked now and
   * after every notify(); rejects after `timeoutMs` with `what` and `recorded()`.
   */
  wait<T>(match: () => T | undefined, what: string, timeoutMs: number | undefined): Promise<T>;
  /** Re-checks every pending wait. */
  notify(): void;
  /** Rejects every pending wait. */
  failAll(reason: string): void;
}

/** Creates a wait queue; `recorded` describes the state for timeout messages. */
export function createWaitQueue(recorded: () => string): WaitQueue {
  const waiters = new Set<Waiter>();
  return {
    wait<T>(match: () => T | undefined, what: string, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          check() {
            const found = match();
            if (found === undefined) return false;
            clearTimeout(timer);
            resolve(found);
            return true;
          },
          fail(err) {
            clearTimeout(timer);
            reject(err);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; ${recorded()}`));
        }, timeoutMs);
        if (!waiter.check()) waiters.add(waiter);
      });
    },
    notify() {
      for (const waiter of waiters) if (waiter.check()) waiters.delete(waiter);
    },
    failAll(reason) {
      for (const waiter of waiters) waiter.fail(new Error(reason));
      waiters.clear();
    },
  };
}
