/** Runs `count` async steps with at most `window` in flight, in index order of start. */
export async function windowed(count: number, window: number, step: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await step(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(window, count)) }, worker));
}

/** Calls `fn` every `everyMs` until the returned function is called. */
export function every(everyMs: number, fn: () => void): () => void {
  const t = setInterval(fn, everyMs);
  return () => clearInterval(t);
}
