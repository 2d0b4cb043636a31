import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_DEPTH, generateOrg, pickPrincipals, SEED_GENERATED_AT } from '../../../db/seed/org.ts';
import type { OrgSnapshot } from '../../../org/snapshot.ts';
import { builderRelationsUnitIds, expectValidOrg, orgFacts, type OrgFacts } from './org-walk.ts';

describe('generateOrg', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const first = generateOrg({ people: 500, seed: 1 });
    expect(generateOrg({ people: 500, seed: 1 })).toEqual(first);
    expect(generateOrg({ people: 500, seed: 2 })).not.toEqual(first);
  });

  it('uses the given sequence and generatedAt, with fixed defaults', () => {
    expect(generateOrg({ people: 3, seed: 1 })).toMatchObject({ version: 1, sequence: 1, generatedAt: SEED_GENERATED_AT });
    const snapshot = generateOrg({ people: 3, seed: 1, sequence: 9, generatedAt: '2026-12-01T00:00:00.000Z' });
    expect(snapshot).toMatchObject({ sequence: 9, generatedAt: '2026-12-01T00:00:00.000Z' });
  });

  it('names people and ids in the documented formats', () => {
    const snapshot = generateOrg({ people: 200, seed: 4 });
    for (const [index, person] of snapshot.people.entries()) {
      expect(person.id).toBe(`p-${index + 1}`);
      expect(person.oktaId).toMatch(/^00u[0-9a-zA-Z]{17}$/);
      expect(person.email).toMatch(/^[a-z0-9]+\.[a-z0-9]+\.\d+@example\.com$/);
      expect(person.displayName).toMatch(/^\S+ .+$/);
    }
    expect(snapshot.people[0]).toMatchObject({ managerId: null, title: 'Chief Executive Officer' });
  });

  it('lists every manager before their reports', () => {
    const snapshot = generateOrg({ people: 2000, seed: 8 });
    const position = new Map(snapshot.people.map((person, index) => [person.id, index]));
    for (const [index, person] of snapshot.people.entries()) {
      if (person.managerId !== null) expect(position.get(person.managerId)).toBeLessThan(index);
    }
  });

  it('honours a smaller depth and reaches it when there are enough people', () => {
    const snapshot = generateOrg({ people: 3000, seed: 5, depth: 6 });
    expect(expectValidOrg(snapshot, { depth: 6, people: 3000 }).maxLevel).toBe(6);
    const flat = generateOrg({ people: 40, seed: 5, depth: 2 });
    expect(expectValidOrg(flat, { depth: 2, people: 40 }).maxLevel).toBe(2);
  });

  it('refuses impossible sizes', () => {
    expect(() => generateOrg({ people: 0, seed: 1 })).toThrow(RangeError);
    expect(() => generateOrg({ people: 2.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateOrg({ people: 2, seed: 1, depth: 1 })).toThrow(RangeError);
    expect(generateOrg({ people: 1, seed: 1, depth: 1 }).people).toHaveLength(1);
  });

  it('refuses to pick principals in an org too small to have them', () => {
    expect(() => pickPrincipals(generateOrg({ people: 3, seed: 1 }))).toThrow(/too small/);
  });
});

describe('a generated org of 50,000 people', () => {
  const people = 50_000;
  let snapshot: OrgSnapshot;
  let facts: OrgFacts;
  let generationMs: number;

  beforeAll(() => {
    const started = performance.now();
    snapshot = generateOrg({ people, seed: 2026 });
    generationMs = performance.now() - started;
    facts = orgFacts(snapshot);
  });

  it('is generated well within a few seconds', () => {
    expect(generationMs).toBeLessThan(3000);
  });

  it('is a valid snapshot that reaches the default depth of 12 without exceeding it', () => {
    expectValidOrg(snapshot, { depth: DEFAULT_ORG_DEPTH, people });
    expect(facts.maxLevel).toBe(DEFAULT_ORG_DEPTH);
  });

  it('is uneven: spans and line sizes vary widely', () => {
    const spans = new Map<string, number>();
    for (const person of snapshot.people) if (person.managerId) spans.set(person.managerId, (spans.get(person.managerId) ?? 0) + 1);
    const values = [...spans.values()];
    expect(Math.min(...values)).toBe(1);
    expect(Math.max(...values)).toBeGreaterThanOrEqual(10);
    const vps = snapshot.people.filter((person) => facts.level.get(person.id) === 2).map((person) => facts.lineSize.get(person.id) ?? 0);
    expect(Math.max(...vps) / Math.min(...vps)).toBeGreaterThan(5);
  });

  it('has about 2% inactive people, none of them managers', () => {
    const inactive = snapshot.people.filter((person) => !person.active);
    expect(inactive.length / people).toBeGreaterThan(0.015);
    expect(inactive.length / people).toBeLessThan(0.025);
    for (const person of inactive) expect(facts.lineSize.get(person.id)).toBe(0);
  });

  it('puts most people in their manager’s unit or a unit below it', () => {
    const parentOf = new Map(snapshot.orgUnits.map((unit) => [unit.id, unit.parentId]));
    const unitOf = new Map(snapshot.people.map((person) => [person.id, person.orgUnitId]));
    const within = (unit: string, ancestor: string) => {
      for (let current: string | null | undefined = unit; current; current = parentOf.get(current)) if (current === ancestor) return true;
      return false;
    };
    const reports = snapshot.people.filter((person) => person.managerId !== null);
    const consistent = reports.filter((person) => within(person.orgUnitId, unitOf.get(person.managerId as string) as string));
    expect(consistent.length / reports.length).toBeGreaterThan(0.95);
    expect(consistent.length).toBeLessThan(reports.length);
  });

  it('has a Builder Relations subtree holding most of the org, and units in other orgs', () => {
    const builderUnits = builderRelationsUnitIds(snapshot);
    expect(builderUnits.size).toBeGreaterThan(10);
    expect(snapshot.orgUnits.length - builderUnits.size).toBeGreaterThan(10);
    const builders = snapshot.people.filter((person) => builderUnits.has(person.orgUnitId)).length;
    expect(builders / people).toBeGreaterThan(0.5);
    expect(builders / people).toBeLessThan(0.7);
  });

  it('offers benchmark principals with the promised reporting-line shares', () => {
    const { vp, midManager, leaf } = pickPrincipals(snapshot);
    const share = (id: string) => (facts.lineSize.get(id) ?? 0) / people;
    const byId = new Map(snapshot.people.map((person) => [person.id, person]));
    expect(share(vp)).toBeGreaterThan(0.57);
    expect(share(vp)).toBeLessThan(0.63);
    expect(share(midManager)).toBeGreaterThan(0.09);
    expect(share(midManager)).toBeLessThan(0.11);
    expect(share(leaf)).toBe(0);
    expect(facts.level.get(vp)).toBe(2);
    expect(facts.chain(midManager)).toContain(vp);
    expect(facts.chain(leaf)).toContain(vp);
    expect(facts.level.get(leaf)).toBe(DEFAULT_ORG_DEPTH);
    for (const id of [vp, midManager, leaf]) expect(byId.get(id)?.active).toBe(true);
    // The VP with the large line runs Builder Relations.
    expect(builderRelationsUnitIds(snapshot).has(byId.get(vp)?.orgUnitId as string)).toBe(true);
  });
});
