/**
 * Instruments are split into a fixed number of partitions by a stable hash of
 * their id; an evaluator instance owns some of them (config). FX instruments
 * are read by every instance, because rules in another currency need the rate,
 * but rules on an FX instrument belong to its own partition only.
 */

/** FNV-1a, 32 bit: stable across processes and versions. */
export function partitionOf(instrument: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < instrument.length; i++) {
    h ^= instrument.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/**
 * Parses an ownership list such as "0-3,6" against the partition count.
 * @example parseOwned("0-1,3", 4) // Set {0, 1, 3}
 */
export function parseOwned(spec: string, partitions: number): Set<number> {
  if (spec.trim() === "all") return new Set(Array.from({ length: partitions }, (_, i) => i));
  const owned = new Set<number>();
  for (const part of spec.split(",")) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) throw new Error(`EVALUATOR_OWNS: "${part}" is not a partition number or range`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to >= partitions) throw new Error(`EVALUATOR_OWNS: ${part} is outside 0-${partitions - 1}`);
    for (let p = from; p <= to; p++) owned.add(p);
  }
  return owned;
}

export class Ownership {
  constructor(
    readonly partitions: number,
    readonly owned: ReadonlySet<number>,
  ) {}

  static all(partitions = 1): Ownership {
    return new Ownership(partitions, parseOwned("all", partitions));
  }

  ownsAll(): boolean {
    return this.owned.size === this.partitions;
  }

  owns(instrument: string): boolean {
    return this.owned.has(partitionOf(instrument, this.partitions));
  }

  describe(): string {
    return this.ownsAll()
      ? `all ${this.partitions} partitions`
      : `partitions ${[...this.owned].join(",")} of ${this.partitions}`;
  }
}
