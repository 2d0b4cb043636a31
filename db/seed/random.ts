/**
 * A small seeded pseudo-random generator for seed data.
 *
 * Written here rather than taken from a package, and not Math.random: generated orgs and reports
 * must be identical for a seed on every machine and Node version (tests compare them, benchmarks
 * pick principals by id), and this is a dozen lines of integer arithmetic with no dependency.
 * The core is sfc32 (128-bit state, passes PractRand), its state words seeded through the
 * splitmix32 mixer so that nearby seeds (1, 2, 3…) give unrelated streams. Not for anything secret.
 */

const TWO_POW_32 = 0x1_0000_0000;

/** The splitmix32 output function: a bijection on 32-bit integers that spreads nearby values apart. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a, so that a seed may be a label ("demo-reports") as well as a number. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

export type Seed = number | string;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Seed) {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    // A numeric seed is split into two 32-bit words that seed separate state words, so that every
    // safe integer gives its own stream (1 and 2**32 + 1 differ, as do -1 and 2**32 - 1).
    const [low, high] =
      typeof seed === 'string'
        ? [hashString(seed), hashString(`seed:${seed}`)]
        : [((seed % TWO_POW_32) + TWO_POW_32) % TWO_POW_32, Math.floor(seed / TWO_POW_32) | 0];
    this.a = mix32(low);
    this.b = mix32(high ^ 0x5bd1e995);
    this.c = mix32(low ^ 0x27d4eb2d);
    this.d = 1;
    // The first outputs of sfc32 still show the seed's structure; discard them.
    for (let index = 0; index < 15; index++) this.uint32();
  }

  /** A uniformly distributed unsigned 32-bit integer (sfc32). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`bad range [${min}, ${max}]`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks an item with probability proportional to its weight (linear: for short lists). */
  weightedPick<T>(entries: readonly (readonly [item: T, weight: number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    if (!(total > 0)) throw new RangeError('weighted pick needs a positive total weight');
    let target = this.next() * total;
    for (const [item, weight] of entries) {
      target -= weight;
      if (target < 0) return item;
    }
    // Floating-point rounding can leave target at a hair above zero: the last positive entry wins.
    return [...entries].reverse().find(([, weight]) => weight > 0)?.[0] as T;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy;
  }

  /** Up to `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, count));
  }
}

/**
 * Weighted picking for long lists drawn from many times (report authors): the cumulative weights
 * are built once and each pick is a binary search.
 */
export function weightedPicker<T>(items: readonly T[], weights: readonly number[]): (random: Random) => T {
  if (items.length === 0 || items.length !== weights.length) throw new RangeError('weightedPicker needs one weight per item');
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) {
    if (!(weight >= 0)) throw new RangeError(`weights must be non-negative, got ${weight}`);
    total += weight;
    cumulative.push(total);
  }
  if (!(total > 0)) throw new RangeError('weightedPicker needs a positive total weight');
  return (random) => {
    const target = random.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return items[low] as T;
  };
}
