/** A small seeded random generator (mulberry32) and the samplers the benchmark needs. */

export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Zipf weights 1/rank^s for n ranks, normalised to sum 1. */
export function zipfWeights(n: number, s: number): Float64Array {
  const w = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i] = 1 / Math.pow(i + 1, s);
  for (let i = 0; i < n; i++) w[i] = (w[i] as number) / sum;
  return w;
}

/** Samples ranks from weights by binary search on the cumulative distribution. */
export class WeightedSampler {
  private readonly cdf: Float64Array;
  constructor(weights: Float64Array) {
    this.cdf = new Float64Array(weights.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) this.cdf[i] = acc += weights[i] as number;
  }
  sample(rng: Prng): number {
    const u = rng.next() * (this.cdf[this.cdf.length - 1] as number);
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cdf[mid] as number) <= u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Splits a total into integer counts proportional to weights (largest remainders). */
export function apportion(total: number, weights: Float64Array): Int32Array {
  const counts = new Int32Array(weights.length);
  const rest: Array<[number, number]> = [];
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = total * (weights[i] as number);
    counts[i] = Math.floor(exact);
    given += counts[i] as number;
    rest.push([exact - Math.floor(exact), i]);
  }
  rest.sort((a, b) => b[0] - a[0]);
  for (let k = 0; given < total; k++, given++) {
    const i = (rest[k % rest.length] as [number, number])[1];
    counts[i] = (counts[i] as number) + 1;
  }
  return counts;
}
