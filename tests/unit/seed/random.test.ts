import { describe, expect, it } from 'vitest';
import { Random, weightedPicker } from '../../../db/seed/random.ts';
import { uuidV4 } from '../../../db/seed/reports.ts';

const draw = (random: Random, count: number) => Array.from({ length: count }, () => random.uint32());

describe('Random', () => {
  it('repeats the same stream for the same seed, numeric or string', () => {
    expect(draw(new Random(42), 100)).toEqual(draw(new Random(42), 100));
    expect(draw(new Random('demo'), 100)).toEqual(draw(new Random('demo'), 100));
  });

  it('gives unrelated streams for nearby and large seeds', () => {
    const streams = [0, 1, 2, 2 ** 32 + 1, -1, 2 ** 32 - 1, 'a', 'b'].map((seed) => draw(new Random(seed), 8).join(','));
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('pins the stream, so that a change to the generator is noticed (seeded data would change with it)', () => {
    expect(draw(new Random(1), 3)).toEqual([1509074296, 461325826, 893474134]);
  });

  it('refuses seeds it cannot represent exactly', () => {
    expect(() => new Random(1.5)).toThrow(RangeError);
    expect(() => new Random(Number.NaN)).toThrow(RangeError);
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const random = new Random(7);
    const values = Array.from({ length: 5000 }, () => random.int(-3, 3));
    expect(Math.min(...values)).toBe(-3);
    expect(Math.max(...values)).toBe(3);
    expect(() => random.int(2, 1)).toThrow(RangeError);
  });

  it('produces floats in [0, 1) with a plausible mean', () => {
    const random = new Random(3);
    const values = Array.from({ length: 20_000 }, () => random.next());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('shuffles into a permutation without touching the input', () => {
    const items = Array.from({ length: 50 }, (_, index) => index);
    const shuffled = new Random(5).shuffle(items);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((left, right) => left - right)).toEqual(items);
    expect(items[0]).toBe(0);
  });

  it('picks by weight, never a zero-weight item', () => {
    const random = new Random(11);
    const counts = { a: 0, b: 0, never: 0 };
    for (let index = 0; index < 10_000; index++) {
      counts[random.weightedPick([['a', 3], ['b', 1], ['never', 0]] as const)]++;
    }
    expect(counts.never).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.5);
    expect(counts.a / counts.b).toBeLessThan(3.5);
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('weightedPicker agrees with the weights and skips zero weights', () => {
    const pick = weightedPicker(['x', 'zero', 'y'], [1, 0, 4]);
    const random = new Random(13);
    const counts = new Map<string, number>();
    for (let index = 0; index < 10_000; index++) {
      const item = pick(random);
      counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    expect(counts.get('zero')).toBeUndefined();
    expect((counts.get('y') ?? 0) / (counts.get('x') ?? 1)).toBeGreaterThan(3.5);
    expect(() => weightedPicker([], [])).toThrow(RangeError);
    expect(() => weightedPicker(['a'], [0])).toThrow(RangeError);
  });
});

describe('uuidV4', () => {
  it('formats version 4, variant 1 UUIDs, distinct and deterministic', () => {
    const ids = Array.from({ length: 2000 }, ((random) => () => uuidV4(random))(new Random(1)));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuidV4(new Random(1))).toBe(ids[0]);
  });
});
