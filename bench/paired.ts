/**
 * Two measurements taken in alternation, several rounds each, compared by their medians. A
 * ratio of two runs taken minutes apart carries whatever drifted in between (the database's
 * caches, autovacuum, a neighbour on the host: ±15% on two shared cores); alternating, and
 * swapping which side goes first each round, leaves only what differs between the two sides.
 */
import type { Measurement } from './report.ts';

export const PAIRED_ROUNDS = 3;

export interface PairedResult {
  readonly a: number;
  readonly b: number;
  readonly ratio: number;
}

export async function paired(
  rounds: number,
  measureA: (round: number) => Promise<Measurement>,
  measureB: (round: number) => Promise<Measurement>,
): Promise<PairedResult> {
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    if (round % 2 === 1) {
      a.push((await measureA(round)).requestsPerSecond);
      b.push((await measureB(round)).requestsPerSecond);
    } else {
      b.push((await measureB(round)).requestsPerSecond);
      a.push((await measureA(round)).requestsPerSecond);
    }
  }
  const medianA = median(a);
  const medianB = median(b);
  return { a: medianA, b: medianB, ratio: medianA / Math.max(medianB, 1e-9) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
