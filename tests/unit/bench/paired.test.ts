import { describe, expect, it } from 'vitest';
import { median, paired } from '../../../bench/paired.ts';
import type { Measurement } from '../../../bench/report.ts';

const run = (requestsPerSecond: number) => ({ requestsPerSecond }) as Measurement;

describe('paired measurements', () => {
  it('alternates which side goes first, round by round', async () => {
    const order: string[] = [];
    await paired(
      4,
      async (round) => (order.push(`a${round}`), run(1)),
      async (round) => (order.push(`b${round}`), run(1)),
    );
    expect(order).toEqual(['a1', 'b1', 'b2', 'a2', 'a3', 'b3', 'b4', 'a4']);
  });

  it('compares the medians, so one disturbed round does not decide', async () => {
    const a = [100, 40, 110];
    const b = [100, 100, 90];
    const result = await paired(3, async (round) => run(a[round - 1]!), async (round) => run(b[round - 1]!));
    expect(result).toEqual({ a: 100, b: 100, ratio: 1 });
  });

  it('takes the middle of an odd count and the mean of the middle two of an even one', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
