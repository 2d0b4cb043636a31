import { beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../../../db/seed/org.ts';
import { generateReports, type SeedReportRow } from '../../../db/seed/reports.ts';
import type { OrgSnapshot } from '../../../org/snapshot.ts';
import { builderRelationsUnitIds } from './org-walk.ts';

const DAY_MS = 86_400_000;

describe('generateReports', () => {
  let snapshot: OrgSnapshot;
  let rows: SeedReportRow[];
  const now = new Date('2026-11-15T12:00:00.000Z');

  beforeAll(() => {
    snapshot = generateOrg({ people: 2000, seed: 3 });
    rows = generateReports(snapshot, { count: 5000, seed: 9, now });
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateReports(snapshot, { count: 5000, seed: 9, now })).toEqual(rows);
    expect(generateReports(snapshot, { count: 50, seed: 10, now })).not.toEqual(rows.slice(0, 50));
  });

  it('defaults "now" to the snapshot’s generatedAt, so the default is deterministic too', () => {
    const latest = Math.max(...generateReports(snapshot, { count: 500, seed: 1 }).map((row) => row.updatedAt.getTime()));
    expect(latest).toBeLessThanOrEqual(new Date(snapshot.generatedAt).getTime());
  });

  it('gives unique version 4 UUIDs', () => {
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('covers every status and sensitivity in plausible proportions', () => {
    const count = (predicate: (row: SeedReportRow) => boolean) => rows.filter(predicate).length / rows.length;
    for (const status of ['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED'] as const) {
      expect(count((row) => row.status === status)).toBeGreaterThan(0.05);
    }
    expect(count((row) => row.status === 'PUBLISHED')).toBeGreaterThan(0.4);
    expect(count((row) => row.sensitivity === 'CONFIDENTIAL')).toBeGreaterThan(0.15);
    expect(count((row) => row.sensitivity === 'CONFIDENTIAL')).toBeLessThan(0.35);
  });

  it('dates reports over the past year, published strictly after creation, never in the future', () => {
    for (const row of rows) {
      const created = row.createdAt.getTime();
      expect(created).toBeLessThan(now.getTime());
      expect(created).toBeGreaterThan(now.getTime() - 366 * DAY_MS);
      expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(created);
      expect(row.updatedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      if (row.status === 'PUBLISHED' || row.status === 'ARCHIVED') {
        expect(row.publishedAt).toBeInstanceOf(Date);
        expect((row.publishedAt as Date).getTime()).toBeGreaterThan(created);
        expect((row.publishedAt as Date).getTime()).toBeLessThanOrEqual(row.updatedAt.getTime());
      } else {
        expect(row.publishedAt).toBeNull();
      }
    }
    const months = new Set(rows.map((row) => row.createdAt.toISOString().slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
  });

  it('files each report under its author’s unit, authors being mostly active builders', () => {
    const people = new Map(snapshot.people.map((person) => [person.id, person]));
    const builderUnits = builderRelationsUnitIds(snapshot);
    let activeBuilders = 0;
    for (const row of rows) {
      const author = people.get(row.authorId);
      expect(author).toBeDefined();
      expect(row.orgUnitId).toBe(author?.orgUnitId);
      if (author?.active && builderUnits.has(author.orgUnitId)) activeBuilders++;
    }
    expect(activeBuilders / rows.length).toBeGreaterThan(0.85);
    expect(activeBuilders).toBeLessThan(rows.length);
  });

  it('fills text fields within the API’s limits', () => {
    for (const row of rows) {
      expect(row.title.length).toBeGreaterThan(0);
      expect(row.title.length).toBeLessThanOrEqual(200);
      expect(row.summary.length).toBeLessThanOrEqual(2000);
      expect(row.body.length).toBeLessThanOrEqual(100_000);
      expect(row.tags.length).toBeLessThanOrEqual(20);
      expect(new Set(row.tags).size).toBe(row.tags.length);
      expect(row.customerAccounts.length).toBeLessThanOrEqual(50);
      expect(new Set(row.customerAccounts).size).toBe(row.customerAccounts.length);
    }
    expect(rows.some((row) => row.customerAccounts.length > 0)).toBe(true);
    expect(rows.some((row) => row.tags.length > 0)).toBe(true);
  });

  it('works for tiny orgs and refuses bad counts', () => {
    const tiny = generateOrg({ people: 1, seed: 1 });
    expect(generateReports(tiny, { count: 10, seed: 1 }).every((row) => row.authorId === 'p-1')).toBe(true);
    expect(generateReports(tiny, { count: 0, seed: 1 })).toEqual([]);
    expect(() => generateReports(tiny, { count: -1, seed: 1 })).toThrow(RangeError);
  });

  it('generates 100,000 reports quickly', () => {
    const started = performance.now();
    expect(generateReports(snapshot, { count: 100_000, seed: 1 })).toHaveLength(100_000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
