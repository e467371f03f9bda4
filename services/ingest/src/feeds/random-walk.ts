/**
 * A seeded random walk of prices (mulberry32 generator): the same seed and
 * instruments give the same series on every machine. Each step moves a price
 * by a normal log-return of `volatilityPct`, plus, with `jumpProbability`, a
 * jump of `jumpPct` up or down.
 */

export interface WalkInstrument {
  instrument: string;
  start: number;
  volatilityPct: number;
  jumpProbability: number;
  jumpPct: number;
  decimals: number;
}

/** mulberry32: a fast 32-bit generator, uniform in [0, 1) */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (price: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.max(Math.round(price * f), 1) / f;
};

/**
 * Endless ticks; each tick prices every instrument once, in the order given.
 * The first tick is the start prices.
 */
export function* randomWalk(seed: number, instruments: readonly WalkInstrument[]): Generator<Map<string, number>> {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const logs = instruments.map((i) => Math.log(i.start));
  yield new Map(instruments.map((i) => [i.instrument, round(i.start, i.decimals)]));
  for (;;) {
    const tick = new Map<string, number>();
    instruments.forEach((i, k) => {
      let step = (gauss() * i.volatilityPct) / 100;
      if (rand() < i.jumpProbability) step += Math.log(1 + ((rand() < 0.5 ? -1 : 1) * i.jumpPct) / 100);
      logs[k] = (logs[k] ?? 0) + step;
      tick.set(i.instrument, round(Math.exp(logs[k]), i.decimals));
    });
    yield tick;
  }
}
