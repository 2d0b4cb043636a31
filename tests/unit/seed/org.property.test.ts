import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORG_DEPTH, generateOrg } from '../../../db/seed/org.ts';
import { expectValidOrg } from './org-walk.ts';

describe('generateOrg (property)', () => {
  it('gives a valid snapshot for any size up to 300 and any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), (people, seed) => {
        expectValidOrg(generateOrg({ people, seed }), { depth: DEFAULT_ORG_DEPTH, people });
      }),
      { numRuns: 150 },
    );
  });

  it('never exceeds a requested depth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer(), fc.integer({ min: 2, max: 8 }), (people, seed, depth) => {
        expectValidOrg(generateOrg({ people, seed, depth }), { depth, people });
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.oneof(fc.integer(), fc.string()), (people, seed) => {
        expect(generateOrg({ people, seed })).toEqual(generateOrg({ people, seed }));
      }),
      { numRuns: 50 },
    );
  });
});
