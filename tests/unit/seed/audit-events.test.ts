import { beforeAll, describe, expect, it } from 'vitest';
import { auditRowHash, firstBreak, GENESIS_HASH } from '../../../db/audit-chain.ts';
import type { AuditEventRow } from '../../../db/schema.ts';
import { generateAuditEvents } from '../../../db/seed/audit-events.ts';
import { generateOrg } from '../../../db/seed/org.ts';
import type { OrgSnapshot } from '../../../org/snapshot.ts';
import { policyVersion } from '../../../policies/version.ts';

const DAY_MS = 86_400_000;
/** Every action the gateway writes (grep appendAuditEvent); the generator must invent none. */
const GATEWAY_ACTIONS = new Set([
  'report.create',
  'report.update',
  'report.submit',
  'report.publish',
  'report.return',
  'report.archive',
  'breakglass.start',
  'breakglass.end',
  'breakglass.access',
  'exception.grant',
  'exception.approve',
  'exception.revoke',
  'access.review',
  'org.import',
  'org.import.request',
  'org.import.approve',
]);

describe('generateAuditEvents', () => {
  const now = new Date('2026-11-15T12:00:00.000Z');
  let snapshot: OrgSnapshot;
  let rows: AuditEventRow[];

  beforeAll(() => {
    snapshot = generateOrg({ people: 1500, seed: 4 });
    rows = [...generateAuditEvents(snapshot, { count: 20_000, seed: 11, now })];
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect([...generateAuditEvents(snapshot, { count: 20_000, seed: 11, now })]).toEqual(rows);
    const other = [...generateAuditEvents(snapshot, { count: 200, seed: 12, now })];
    expect(other.map((row) => row.hash)).not.toEqual(rows.slice(0, 200).map((row) => row.hash));
    expect(other.map((row) => row.actorId)).not.toEqual(rows.slice(0, 200).map((row) => row.actorId));
  });

  it('forms a valid hash chain from the genesis hash, with consecutive ids from 1', () => {
    expect(rows.map((row) => row.id)).toEqual(rows.map((_, index) => index + 1));
    expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
    expect(firstBreak(rows)).toBeUndefined();
  });

  it('continues a given chain from startId and prevHash', () => {
    const head = rows.at(-1) as AuditEventRow;
    const more = [...generateAuditEvents(snapshot, { count: 50, seed: 1, now, startId: head.id + 1, prevHash: head.hash as string })];
    expect(more[0]).toMatchObject({ id: head.id + 1, prevHash: head.hash });
    expect(firstBreak([...rows, ...more])).toBeUndefined();
    expect(firstBreak(more)).toEqual({ id: head.id + 1, problem: 'broken link' });
  });

  it('is caught when tampered with: a changed field, a removed row, a swap, a rehashed row', () => {
    const copy = () => rows.slice(0, 100).map((row) => ({ ...row }));
    const changed = copy();
    changed[40] = { ...changed[40]!, decision: changed[40]!.decision === 'ALLOW' ? 'DENY' : 'ALLOW' };
    expect(firstBreak(changed)).toEqual({ id: 41, problem: 'hash mismatch' });
    const removed = copy();
    removed.splice(40, 1);
    expect(firstBreak(removed)).toEqual({ id: 42, problem: 'broken link' });
    const swapped = copy();
    [swapped[40], swapped[41]] = [swapped[41]!, swapped[40]!];
    expect(firstBreak(swapped)).toMatchObject({ id: 42 });
    // Rehashing the edited row hides it from that row, not from the next one.
    const rehashed = copy();
    const edited = { ...rehashed[40]!, details: { forged: true } };
    rehashed[40] = { ...edited, hash: auditRowHash(edited) };
    expect(firstBreak(rehashed)).toEqual({ id: 42, problem: 'broken link' });
  });

  it('spreads events over the year before now, in id order', () => {
    const times = rows.map((row) => row.occurredAt.getTime());
    expect(times.findIndex((time, index) => index > 0 && time < times[index - 1]!)).toBe(-1);
    expect(times[0]).toBeGreaterThanOrEqual(now.getTime() - 365 * DAY_MS);
    expect(times[0]).toBeLessThan(now.getTime() - 364 * DAY_MS);
    expect(times.at(-1)).toBeLessThanOrEqual(now.getTime());
    expect(times.at(-1)).toBeGreaterThan(now.getTime() - DAY_MS);
  });

  it('records what the gateway records: its actions, people of the org, mostly ALLOW', () => {
    const people = new Map(snapshot.people.map((person) => [person.id, person]));
    const share = (predicate: (row: AuditEventRow) => boolean) => rows.filter(predicate).length / rows.length;
    const version = policyVersion();
    const odd = rows.filter((row) => {
      if (!GATEWAY_ACTIONS.has(row.action)) return true;
      if (row.decision === 'DENY' && !row.reason) return true;
      if (row.actorId === null) return row.action !== 'org.import' || row.policyVersion !== null || row.requestId !== null || !row.actorSubject?.startsWith('operator:');
      return row.actorSubject !== people.get(row.actorId)?.email || row.policyVersion !== version || !/^[0-9a-f-]{36}$/.test(row.requestId ?? '');
    });
    expect(odd).toEqual([]);
    expect(rows.some((row) => row.actorId === null)).toBe(true);
    expect(share((row) => row.decision === 'DENY')).toBeGreaterThan(0.03);
    expect(share((row) => row.decision === 'DENY')).toBeLessThan(0.15);
    expect(share((row) => row.action.startsWith('report.'))).toBeGreaterThan(0.9);
    expect(new Set(rows.map((row) => row.action)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(rows.map((row) => row.actorId)).size).toBeGreaterThan(500);
  });

  it('makes report events about the reports it is given', () => {
    const reportIds = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    const events = [...generateAuditEvents(snapshot, { count: 500, seed: 3, now, reportIds })];
    const subjects = new Set(events.filter((row) => row.subjectType === 'Report' && row.subjectId !== null).map((row) => row.subjectId));
    expect([...subjects].sort()).toEqual(reportIds);
  });

  it('generates lazily: the first rows of a huge count come at once', () => {
    const stream = generateAuditEvents(snapshot, { count: 50_000_000, seed: 1, now })[Symbol.iterator]();
    expect(stream.next().value).toMatchObject({ id: 1 });
  });

  it.each([
    [{ count: -1 }, /count must be a non-negative integer/],
    [{ count: 1.5 }, /count must be a non-negative integer/],
    [{ count: 1, startId: 0 }, /startId must be a positive integer/],
    [{ count: 1, prevHash: 'abc' }, /prevHash must be a SHA-256 hex digest/],
  ])('refuses %j', (options, message) => {
    expect(() => generateAuditEvents(snapshot, { seed: 1, ...options })).toThrow(message);
  });

  it('gives nothing for a count of zero', () => {
    expect([...generateAuditEvents(snapshot, { count: 0, seed: 1 })]).toEqual([]);
  });
});
