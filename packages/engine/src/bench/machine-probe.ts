/**
 * How fast the machine is right now, in figures printed beside the
 * benchmark's (on a shared virtual machine they move from one hour to the
 * next, so that runs are compared by them).
 *
 * How fast the memory answers: the time of one read at a random place in
 * 64 MB, each read's address coming from the one before (so no two overlap).
 * The engine's ticks are mostly such reads (a rarely traded instrument's
 * state is out of the caches), and on a shared virtual machine this time
 * moves by half or more from one hour to the next.
 *
 * How much of the processor's shared cache is left to the process: the same
 * read over 4 MB, which a server processor's last-level cache holds (tens of
 * ns) unless other guests on the host keep filling it (then near the 64 MB
 * figure). On a shared machine it can move several times over within
 * seconds: like the others, a snapshot before and after the ticks, not an
 * average over them.
 */
import { Prng } from "./prng.js";

/** bytes the memory and the cache figures read over */
export const MEMORY_BYTES = 64 * 1024 * 1024;
export const CACHE_BYTES = 4 * 1024 * 1024;
const READS = 2_000_000;
const STEPS = 20_000_000;

/** ns per dependent random read over `bytes` (median of three rounds) */
export function memoryLatencyNs(bytes: number = MEMORY_BYTES): number {
  const entries = bytes / Int32Array.BYTES_PER_ELEMENT;
  const next = new Int32Array(entries);
  for (let i = 0; i < entries; i++) next[i] = i;
  // Sattolo's shuffle: one cycle through every entry
  const rng = new Prng(7);
  for (let i = entries - 1; i > 0; i--) {
    const j = rng.int(i);
    const t = next[i] as number;
    next[i] = next[j] as number;
    next[j] = t;
  }
  const rounds: number[] = [];
  let at = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let k = 0; k < READS; k++) at = next[at] as number;
    rounds.push(((performance.now() - t0) * 1e6) / READS);
  }
  if (at < 0) throw new Error("unreachable");
  rounds.sort((a, b) => a - b);
  return rounds[1] as number;
}

/**
 * How fast the processor itself runs right now: ns per step of a fixed
 * chain of integer multiply-adds, each step needing the one before, in
 * registers (median of three rounds). What the memory read leaves out: a
 * slower processor (a lower clock, time taken by other guests) slows the
 * computing parts of a tick, such as building an alert's text.
 */
export function computeNsPerStep(): number {
  const rounds: number[] = [];
  let x = 1;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let k = 0; k < STEPS; k++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
    rounds.push(((performance.now() - t0) * 1e6) / STEPS);
  }
  // the chain's end is used, so that the loop is not dropped
  if (x === 0.5) throw new Error("unreachable");
  rounds.sort((a, b) => a - b);
  return rounds[1] as number;
}
