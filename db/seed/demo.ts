/**
 * The demo org that `npm start` loads into an empty embedded database, and the personas the
 * development issuer offers. Hand-written so that a person trying the gateway can follow who sees
 * what: a Builder Relations VP, a director, managers and a team lead above a builder, colleagues
 * in Sales and Engineering who only see published internal reports, auditors, two admins (second
 * approvals need a different admin), and people who have left.
 *
 * Personas carry the names of computing pioneers; everyone else is invented.
 */
import { BUILDER_RELATIONS_KIND, type OrgSnapshot, type OrgUnitRecord, type PersonRecord } from '../../org/snapshot.ts';

export const DEMO_SEQUENCE = 1;
/** Fixed, so the demo is identical on every start and machine. */
export const DEMO_GENERATED_AT = '2026-11-01T06:00:00.000Z';

/** Okta group names of DESIGN §4 (the defaults of policies/roles.ts). */
export const DEMO_GROUPS = {
  analysts: 'builder-insights-analysts',
  auditors: 'builder-insights-auditors',
  admins: 'builder-insights-admins',
} as const;

// [id, name, parent id, kind]
const UNITS: readonly (readonly [string, string, string | null, string])[] = [
  ['ou-company', 'Example Corp', null, 'company'],
  ['ou-br', 'Builder Relations', 'ou-company', BUILDER_RELATIONS_KIND],
  ['ou-br-advocacy', 'Developer Advocacy', 'ou-br', 'department'],
  ['ou-br-advocacy-americas', 'Advocacy Americas', 'ou-br-advocacy', 'team'],
  ['ou-br-advocacy-emea', 'Advocacy EMEA', 'ou-br-advocacy', 'team'],
  ['ou-br-solutions', 'Solutions Architecture', 'ou-br', 'department'],
  ['ou-br-solutions-startups', 'Startup Solutions', 'ou-br-solutions', 'team'],
  ['ou-br-solutions-enterprise', 'Enterprise Solutions', 'ou-br-solutions', 'team'],
  ['ou-br-content', 'Developer Content', 'ou-br', 'department'],
  ['ou-br-community', 'Community Programs', 'ou-br', 'department'],
  ['ou-br-insights', 'Builder Insights', 'ou-br', 'team'],
  ['ou-engineering', 'Engineering', 'ou-company', 'division'],
  ['ou-eng-platform', 'Platform', 'ou-engineering', 'department'],
  ['ou-eng-sdks', 'SDKs', 'ou-engineering', 'department'],
  ['ou-sales', 'Sales', 'ou-company', 'division'],
  ['ou-sales-na', 'Sales North America', 'ou-sales', 'department'],
  ['ou-sales-emea', 'Sales EMEA', 'ou-sales', 'department'],
  ['ou-security', 'Security and Compliance', 'ou-company', 'division'],
  ['ou-it', 'IT Operations', 'ou-company', 'division'],
  ['ou-people', 'People', 'ou-company', 'division'],
];

const LEFT = false;

// [key (the id is p-<key>), display name, title, manager key, unit id, active]
type DemoPersonRow = readonly [string, string, string, string | null, string, boolean?];

const PEOPLE: readonly DemoPersonRow[] = [
  ['grace', 'Grace Hopper', 'Chief Executive Officer', null, 'ou-company'],

  // Builder Relations: five levels of managers above Alan Turing (Grace, Ada, Katherine, Dorothy, Dennis).
  ['ada', 'Ada Lovelace', 'Vice President, Builder Relations', 'grace', 'ou-br'],
  ['katherine', 'Katherine Johnson', 'Director, Developer Advocacy', 'ada', 'ou-br-advocacy'],
  ['dorothy', 'Dorothy Vaughan', 'Manager, Advocacy Americas', 'katherine', 'ou-br-advocacy-americas'],
  ['dennis', 'Dennis Ritchie', 'Lead Developer Advocate', 'dorothy', 'ou-br-advocacy-americas'],
  ['alan', 'Alan Turing', 'Developer Advocate', 'dennis', 'ou-br-advocacy-americas'],
  ['joan', 'Joan Clarke', 'Senior Developer Advocate', 'dennis', 'ou-br-advocacy-americas'],
  ['charles', 'Charles Babbage', 'Developer Advocate', 'dennis', 'ou-br-advocacy-americas', LEFT],
  ['priya', 'Priya Raman', 'Developer Advocate', 'dennis', 'ou-br-advocacy-americas'],
  ['marcus', 'Marcus Oyelaran', 'Senior Developer Advocate', 'dorothy', 'ou-br-advocacy-americas'],
  ['lucia', 'Lucia Fernandez', 'Developer Advocate', 'dorothy', 'ou-br-advocacy-americas'],
  ['hiro', 'Hiro Tanabe', 'Developer Advocate', 'dorothy', 'ou-br-advocacy-americas'],
  ['nadia', 'Nadia Petrova', 'Associate Developer Advocate', 'dorothy', 'ou-br-advocacy-americas'],
  ['sven', 'Sven Lindqvist', 'Manager, Advocacy EMEA', 'katherine', 'ou-br-advocacy-emea'],
  ['amara', 'Amara Okafor', 'Staff Developer Advocate', 'sven', 'ou-br-advocacy-emea'],
  ['jonas', 'Jonas Becker', 'Developer Advocate', 'sven', 'ou-br-advocacy-emea'],
  ['elif', 'Elif Demir', 'Developer Advocate', 'sven', 'ou-br-advocacy-emea'],
  ['chiara', 'Chiara Rossi', 'Senior Developer Advocate', 'sven', 'ou-br-advocacy-emea'],
  ['tomas', 'Tomas Novak', 'Developer Advocate', 'sven', 'ou-br-advocacy-emea'],
  ['fatima', 'Fatima Zahra', 'Associate Developer Advocate', 'sven', 'ou-br-advocacy-emea'],
  ['john', 'John Backus', 'Director, Solutions Architecture', 'ada', 'ou-br-solutions'],
  ['mei', 'Mei Lin', 'Manager, Startup Solutions', 'john', 'ou-br-solutions-startups'],
  ['ravi', 'Ravi Menon', 'Solutions Architect', 'mei', 'ou-br-solutions-startups'],
  ['sofia', 'Sofia Alvarez', 'Senior Solutions Architect', 'mei', 'ou-br-solutions-startups'],
  ['kwame', 'Kwame Mensah', 'Solutions Architect', 'mei', 'ou-br-solutions-startups'],
  ['ingrid', 'Ingrid Holm', 'Solutions Architect', 'mei', 'ou-br-solutions-startups'],
  ['diego', 'Diego Morales', 'Associate Solutions Architect', 'mei', 'ou-br-solutions-startups'],
  ['rachel', 'Rachel Stein', 'Manager, Enterprise Solutions', 'john', 'ou-br-solutions-enterprise'],
  ['omar', 'Omar Haddad', 'Principal Solutions Architect', 'rachel', 'ou-br-solutions-enterprise'],
  ['hannah', 'Hannah Weber', 'Solutions Architect', 'rachel', 'ou-br-solutions-enterprise'],
  ['kenji', 'Kenji Sato', 'Senior Solutions Architect', 'rachel', 'ou-br-solutions-enterprise'],
  ['zoe', 'Zoe Martin', 'Solutions Architect', 'rachel', 'ou-br-solutions-enterprise'],
  // On loan to Engineering's Platform department while reporting to Rachel: a builder by manager, not by unit.
  ['arjun', 'Arjun Nair', 'Solutions Architect', 'rachel', 'ou-eng-platform'],
  ['edsger', 'Edsger Dijkstra', 'Manager, Developer Content', 'ada', 'ou-br-content'],
  ['laura', 'Laura Chen', 'Senior Technical Writer', 'edsger', 'ou-br-content'],
  ['felix', 'Felix Wagner', 'Technical Writer', 'edsger', 'ou-br-content'],
  ['aisha', 'Aisha Bello', 'Technical Writer', 'edsger', 'ou-br-content'],
  ['noah', 'Noah Kim', 'Video Producer', 'edsger', 'ou-br-content'],
  ['beatriz', 'Beatriz Costa', 'Manager, Community Programs', 'ada', 'ou-br-community'],
  ['liam', 'Liam Byrne', 'Community Manager', 'beatriz', 'ou-br-community'],
  ['chloe', 'Chloe Dubois', 'Community Manager', 'beatriz', 'ou-br-community'],
  ['mateo', 'Mateo Silva', 'Program Manager', 'beatriz', 'ou-br-community'],
  ['paula', 'Paula Quinn', 'Manager, Builder Insights', 'ada', 'ou-br-insights'],
  ['frances', 'Frances Allen', 'Insights Analyst', 'paula', 'ou-br-insights'],
  ['samir', 'Samir Khan', 'Data Analyst', 'paula', 'ou-br-insights'],
  ['elena', 'Elena Volkova', 'Data Engineer', 'paula', 'ou-br-insights'],

  // Engineering.
  ['claude', 'Claude Shannon', 'Vice President, Engineering', 'grace', 'ou-engineering'],
  ['victor', 'Victor Ionescu', 'Director, Platform', 'claude', 'ou-eng-platform'],
  ['anika', 'Anika Sharma', 'Senior Software Engineer', 'victor', 'ou-eng-platform'],
  ['lars', 'Lars Jensen', 'Site Reliability Engineer', 'victor', 'ou-eng-platform'],
  ['mohammed', 'Mohammed Al-Sayed', 'Software Engineer', 'victor', 'ou-eng-platform'],
  ['julia', 'Julia Nowak', 'Staff Software Engineer', 'victor', 'ou-eng-platform'],
  ['ethan', 'Ethan Brooks', 'Software Engineer', 'victor', 'ou-eng-platform', LEFT],
  ['keiko', 'Keiko Mori', 'Director, SDKs', 'claude', 'ou-eng-sdks'],
  ['pedro', 'Pedro Santos', 'Software Engineer', 'keiko', 'ou-eng-sdks'],
  ['olga', 'Olga Ivanova', 'Senior Software Engineer', 'keiko', 'ou-eng-sdks'],
  ['ben', 'Ben Carter', 'Software Engineer', 'keiko', 'ou-eng-sdks'],
  // On loan to Builder Relations while reporting into Engineering: a builder by unit.
  ['lea', 'Lea Fischer', 'Developer Experience Engineer', 'keiko', 'ou-br-content'],

  // Sales.
  ['robert', 'Robert Ndlovu', 'Vice President, Sales', 'grace', 'ou-sales'],
  ['isabel', 'Isabel Moreno', 'Manager, Sales North America', 'robert', 'ou-sales-na'],
  ['hedy', 'Hedy Lamarr', 'Account Executive', 'isabel', 'ou-sales-na'],
  ['tyler', 'Tyler Reed', 'Account Executive', 'isabel', 'ou-sales-na'],
  ['maya', 'Maya Goldberg', 'Sales Engineer', 'isabel', 'ou-sales-na'],
  ['kevin', 'Kevin Osei', 'Account Executive', 'isabel', 'ou-sales-na', LEFT],
  ['henrik', 'Henrik Dahl', 'Manager, Sales EMEA', 'robert', 'ou-sales-emea'],
  ['sophie', 'Sophie Laurent', 'Account Executive', 'henrik', 'ou-sales-emea'],
  ['matteo', 'Matteo Greco', 'Sales Engineer', 'henrik', 'ou-sales-emea'],
  ['anna', 'Anna Kowalczyk', 'Account Executive', 'henrik', 'ou-sales-emea'],

  // Security and Compliance, IT Operations, People.
  ['nora', 'Nora Brennan', 'Director, Security and Compliance', 'grace', 'ou-security'],
  ['annie', 'Annie Easley', 'Compliance Auditor', 'nora', 'ou-security'],
  ['rahul', 'Rahul Verma', 'Security Analyst', 'nora', 'ou-security'],
  ['daniel', 'Daniel Cohen', 'Director, IT Operations', 'grace', 'ou-it'],
  ['jean', 'Jean Bartik', 'Identity Platform Administrator', 'daniel', 'ou-it'],
  ['betty', 'Betty Holberton', 'Systems Administrator', 'daniel', 'ou-it'],
  ['kofi', 'Kofi Boateng', 'IT Support Specialist', 'daniel', 'ou-it'],
  ['sarah', 'Sarah Mitchell', 'Vice President, People', 'grace', 'ou-people'],
  ['ines', 'Ines Duarte', 'People Partner', 'sarah', 'ou-people'],
];

export function demoPersonId(key: string): string {
  return `p-${key}`;
}

function demoEmail(displayName: string): string {
  const [first = '', ...rest] = displayName.toLowerCase().split(' ');
  const clean = (part: string) => part.replace(/[^a-z0-9]/g, '');
  return `${clean(first)}.${rest.map(clean).join('')}@example.com`;
}

/** Okta-shaped (20 characters, "00u" prefix) and recognisable as demo data. */
function demoOktaId(index: number): string {
  return `00udemo${String(index + 1).padStart(13, '0')}`;
}

/** A fresh copy of the demo snapshot on every call (callers may change it freely). */
export function demoSnapshot(): OrgSnapshot {
  const orgUnits: OrgUnitRecord[] = UNITS.map(([id, name, parentId, kind]) => ({ id, name, parentId, kind }));
  const people: PersonRecord[] = PEOPLE.map(([key, displayName, title, manager, orgUnitId, active = true], index) => ({
    id: demoPersonId(key),
    oktaId: demoOktaId(index),
    email: demoEmail(displayName),
    displayName,
    title,
    managerId: manager === null ? null : demoPersonId(manager),
    orgUnitId,
    active,
  }));
  return { version: 1, sequence: DEMO_SEQUENCE, generatedAt: DEMO_GENERATED_AT, orgUnits, people };
}

export type DemoPersonaKey =
  | 'builder'
  | 'teammate'
  | 'manager'
  | 'director'
  | 'vp'
  | 'analyst'
  | 'auditor'
  | 'admin'
  | 'second-admin'
  | 'outsider'
  | 'inactive';

export interface DemoPersonPersona {
  readonly kind: 'person';
  readonly key: DemoPersonaKey;
  readonly personId: string;
  readonly displayName: string;
  readonly email: string;
  readonly oktaId: string;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  readonly description: string;
}

/** A client-credentials client: no person, its roles come from policies/services.ts. */
export interface DemoServicePersona {
  readonly kind: 'service';
  readonly key: 'dashboard';
  readonly clientId: string;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  readonly description: string;
}

export type DemoPersona = DemoPersonPersona | DemoServicePersona;

const READ_WRITE = ['insights.read', 'insights.write'] as const;

const PERSON_PERSONAS: readonly (readonly [DemoPersonaKey, string, readonly string[], string])[] = [
  ['builder', 'alan', [], 'Developer Advocate in Builder Relations: writes and submits reports.'],
  ['teammate', 'joan', [], "Alan's teammate (same unit): sees his published confidential reports, not his drafts."],
  ['manager', 'dorothy', [], 'Manager of Advocacy Americas: Alan is in her reporting line; publishes or returns his submissions.'],
  ['director', 'katherine', [], 'Director of Developer Advocacy: two teams in her reporting line.'],
  ['vp', 'ada', [], 'VP of Builder Relations: most report authors are in her reporting line.'],
  ['analyst', 'frances', [DEMO_GROUPS.analysts], 'Insights Analyst (analysts group): reads every published report, confidential ones included.'],
  ['auditor', 'annie', [DEMO_GROUPS.auditors], 'Compliance Auditor (auditors group): audit events and access reviews; no report content beyond a member.'],
  ['admin', 'jean', [DEMO_GROUPS.admins], 'Administrator (admins group): exceptions, break-glass, org imports.'],
  ['second-admin', 'betty', [DEMO_GROUPS.admins], 'The second administrator, who approves what the first requests.'],
  ['outsider', 'hedy', [], 'Account Executive in Sales: a member only, sees published internal reports.'],
  ['inactive', 'charles', [DEMO_GROUPS.analysts], 'Has left (inactive in the org source): denied everything but `me`, his analyst group notwithstanding.'],
];

function buildPersonas(): DemoPersona[] {
  const snapshot = demoSnapshot();
  const byId = new Map(snapshot.people.map((person) => [person.id, person]));
  const people = PERSON_PERSONAS.map(([key, personKey, groups, description]): DemoPersona => {
    const person = byId.get(demoPersonId(personKey));
    if (!person) throw new Error(`demo persona ${key} names unknown person ${personKey}`);
    return {
      kind: 'person',
      key,
      personId: person.id,
      displayName: person.displayName,
      email: person.email,
      oktaId: person.oktaId,
      groups,
      scopes: READ_WRITE,
      description,
    };
  });
  const dashboard: DemoServicePersona = {
    kind: 'service',
    key: 'dashboard',
    clientId: 'dashboard-service',
    groups: [],
    scopes: ['insights.read'],
    description: 'Dashboard service (client credentials, no person): aggregate report statistics only.',
  };
  return [...people, dashboard];
}

export const demoPersonas: readonly DemoPersona[] = Object.freeze(buildPersonas());
