import { describe, expect, it } from 'vitest';
import { demoReports } from '../../../db/seed/demo-reports.ts';
import { DEMO_GROUPS, demoPersonas, demoSnapshot, type DemoPersonPersona } from '../../../db/seed/demo.ts';
import { builderRelationsUnitIds, expectValidOrg, orgFacts } from './org-walk.ts';

const people = demoPersonas.filter((persona): persona is DemoPersonPersona => persona.kind === 'person');
const persona = (key: string) => people.find((candidate) => candidate.key === key) as DemoPersonPersona;

describe('demo org', () => {
  const snapshot = demoSnapshot();
  const byId = new Map(snapshot.people.map((person) => [person.id, person]));
  const facts = orgFacts(snapshot);
  const builderUnits = builderRelationsUnitIds(snapshot);

  it('is a valid, deterministic, readable snapshot of 60 to 120 people', () => {
    expectValidOrg(snapshot, { depth: 12, people: snapshot.people.length });
    expect(snapshot.people.length).toBeGreaterThanOrEqual(60);
    expect(snapshot.people.length).toBeLessThanOrEqual(120);
    expect(demoSnapshot()).toEqual(snapshot);
    expect(byId.get('p-ada')).toMatchObject({ displayName: 'Ada Lovelace', email: 'ada.lovelace@example.com' });
  });

  it('returns a fresh copy each time', () => {
    const copy = demoSnapshot();
    (copy.people[0] as { displayName: string }).displayName = 'changed';
    expect(demoSnapshot().people[0]?.displayName).not.toBe('changed');
  });

  it('has a Builder Relations subtree, other orgs, and a few people who left', () => {
    expect(builderUnits.size).toBeGreaterThanOrEqual(5);
    expect(snapshot.orgUnits.length - builderUnits.size).toBeGreaterThanOrEqual(5);
    expect(snapshot.people.filter((person) => !builderUnits.has(person.orgUnitId)).length).toBeGreaterThanOrEqual(15);
    const inactive = snapshot.people.filter((person) => !person.active);
    expect(inactive.length).toBeGreaterThanOrEqual(2);
    expect(inactive.length).toBeLessThanOrEqual(6);
  });

  it('has managers on at least four levels', () => {
    const managerLevels = new Set(
      snapshot.people.filter((person) => (facts.lineSize.get(person.id) ?? 0) > 0).map((person) => facts.level.get(person.id)),
    );
    expect(managerLevels.size).toBeGreaterThanOrEqual(4);
  });

  it('has personas that match their people, all active except the inactive one', () => {
    for (const entry of people) {
      const person = byId.get(entry.personId);
      expect(person, entry.key).toBeDefined();
      expect(person).toMatchObject({ email: entry.email, oktaId: entry.oktaId, displayName: entry.displayName });
      expect(person?.active).toBe(entry.key !== 'inactive');
    }
    expect(new Set(demoPersonas.map((entry) => entry.key)).size).toBe(demoPersonas.length);
  });

  it('places personas where the policy examples need them', () => {
    const builder = byId.get(persona('builder').personId);
    expect(builderUnits.has(builder?.orgUnitId as string)).toBe(true);
    expect(facts.chain(persona('builder').personId)).toEqual(
      expect.arrayContaining([persona('manager').personId, persona('director').personId, persona('vp').personId]),
    );
    expect(byId.get(persona('teammate').personId)?.orgUnitId).toBe(builder?.orgUnitId);
    expect(builderUnits.has(byId.get(persona('outsider').personId)?.orgUnitId as string)).toBe(false);
    expect(facts.chain(persona('outsider').personId)).not.toContain(persona('vp').personId);
  });

  it('maps roles to the Okta groups of DESIGN §4, with two admins and a dashboard service', () => {
    expect(persona('analyst').groups).toContain('builder-insights-analysts');
    expect(persona('auditor').groups).toContain('builder-insights-auditors');
    const admins = people.filter((entry) => entry.groups.includes(DEMO_GROUPS.admins));
    expect(new Set(admins.map((entry) => entry.personId)).size).toBeGreaterThanOrEqual(2);
    expect(persona('builder').groups).toEqual([]);
    const dashboard = demoPersonas.find((entry) => entry.kind === 'service');
    expect(dashboard).toMatchObject({ key: 'dashboard', clientId: 'dashboard-service', groups: [] });
    expect(dashboard).not.toHaveProperty('personId');
  });
});

describe('demo reports', () => {
  const snapshot = demoSnapshot();
  const rows = demoReports(snapshot);

  it('are ~300, deterministic, with unique ids and authors from the demo org', () => {
    expect(rows).toHaveLength(300);
    expect(demoReports()).toEqual(rows);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    const units = new Map(snapshot.people.map((person) => [person.id, person.orgUnitId]));
    for (const row of rows) expect(row.orgUnitId).toBe(units.get(row.authorId));
  });

  it('give the builder persona a report in every status and sensitivity', () => {
    const builderId = persona('builder').personId;
    const own = rows.filter((row) => row.authorId === builderId);
    expect(new Set(own.map((row) => row.status))).toEqual(new Set(['DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED']));
    expect(new Set(own.map((row) => row.sensitivity))).toEqual(new Set(['INTERNAL', 'CONFIDENTIAL']));
  });
});
