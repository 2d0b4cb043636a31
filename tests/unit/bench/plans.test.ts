import { describe, expect, it } from 'vitest';
import { isCliff, planLines, type PlanComparison } from '../../../bench/plans.ts';

const comparison = (genericMs: number, customMs: number): PlanComparison => ({ key: 'W2/vp', statement: 1, genericMs, customMs });

describe('generic against custom plans', () => {
  it.each([
    { genericMs: 10.7, customMs: 0.05, cliff: true, why: 'the VP line hashed for one report' },
    { genericMs: 2.5, customMs: 1.2, cliff: true, why: 'over twice as slow and over a millisecond lost' },
    { genericMs: 2.3, customMs: 1.2, cliff: false, why: 'under twice as slow' },
    { genericMs: 0.9, customMs: 0.1, cliff: false, why: 'nine times as slow but under a millisecond lost' },
    { genericMs: 0.2, customMs: 0.6, cliff: false, why: 'faster: no planning' },
  ])('$genericMs vs $customMs ms: cliff $cliff ($why)', ({ genericMs, customMs, cliff }) => {
    expect(isCliff(comparison(genericMs, customMs))).toBe(cliff);
  });

  it('lists the worst ratios first and marks the cliffs', () => {
    const lines = planLines([comparison(0.2, 0.6), comparison(10.7, 0.05), comparison(2.3, 1.2)]);
    expect(lines[0]).toMatch(/^Generic vs custom plans .*: 3 statements .*: 1 cliff\(s\), .*: W2\/vp#2 10\.7 vs 0\.1 ms$/);
    const rows = lines.filter((line) => line.startsWith('| W2/vp'));
    expect(rows.map((row) => row.split('|')[3]!.trim())).toEqual(['10.70', '2.30', '0.20']);
    expect(rows.map((row) => row.endsWith('✗ |'))).toEqual([true, false, false]);
  });

  it('writes nothing for a run that compared nothing', () => {
    expect(planLines([])).toEqual([]);
  });
});
