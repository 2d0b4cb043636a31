/**
 * Generates a large, realistic org snapshot (version 1) for tests and benchmarks.
 *
 * The shape is designed, not uniform: authorization cost depends on how many people sit in a
 * viewer's reporting line, so the generator guarantees the cases a benchmark needs — a VP of
 * Builder Relations with about 60% of the org below them, a mid manager (in that VP's line) with
 * about 10%, and a chain of managers reaching the requested depth when there are enough people.
 * Everything else is split unevenly at random, as real orgs are.
 *
 * Headcount is allotted top-down: each person gets a budget (their subtree size, themselves
 * included) and splits the rest among their direct reports. Budgets are capped by what the
 * remaining levels can hold, so the hierarchy never exceeds `depth` levels.
 */
import { BUILDER_RELATIONS_KIND, type OrgSnapshot, type OrgUnitRecord, type PersonRecord } from '../../org/snapshot.ts';
import {
  BUILDER_RELATIONS_DIVISION,
  FIRST_NAMES,
  IC_SENIORITY,
  LAST_NAMES,
  OTHER_DIVISIONS,
  TEAM_NAMES,
  type DivisionSpec,
} from './names.ts';
import { MID_MANAGER_LINE_SHARE } from './principals.ts';
import { Random, type Seed } from './random.ts';

// Benchmarks pick their principals from a generated org; they find the picker next to the generator.
export { pickPrincipals, type BenchmarkPrincipals } from './principals.ts';

/** Levels of the people hierarchy (the CEO is level 1), as in DESIGN §3's "depth 12". */
export const DEFAULT_ORG_DEPTH = 12;
/** A fixed default keeps snapshots deterministic; the seed CLI passes the current time. */
export const SEED_GENERATED_AT = '2026-11-01T06:00:00.000Z';
export const COMPANY_UNIT_ID = 'ou-company';

export interface GenerateOrgOptions {
  readonly people: number;
  readonly seed: Seed;
  /** Most levels in the manager chain, CEO included (default 12). */
  readonly depth?: number;
  readonly sequence?: number;
  readonly generatedAt?: string;
}

/** The Builder Relations VP's reporting line, as a share of the whole org (the mid manager's is in principals.ts). */
const VP_LINE_SHARE = 0.6;
/** Below the mid manager, each link of the deep chain keeps this share of its manager's line. */
const DEEP_CHAIN_SHARE = 0.45;
const INACTIVE_SHARE = 0.02;
/** Individual contributors whose unit is not their manager's (matrixed, on loan, mid-move). */
const MISPLACED_SHARE = 0.02;
/** The span assumed when computing how many people the remaining levels can hold. */
const CAPACITY_SPAN = 12;
/** Company, division, department, then at most three levels of nested teams. */
const MAX_UNIT_DEPTH = 6;

/** Where a person sits in the designed skeleton; `regular` people are split at random. */
type Role = 'ceo' | 'vp-builder-relations' | 'mid-manager' | 'deep-chain' | 'regular';

interface Unit {
  readonly record: OrgUnitRecord;
  readonly depth: number;
  readonly division: DivisionSpec | null;
}

interface Pending {
  readonly number: number;
  readonly budget: number;
  readonly level: number;
  readonly role: Role;
  readonly division: DivisionSpec | null;
  readonly headsDivision: boolean;
  readonly manager: { readonly id: string; readonly unit: Unit } | null;
}

export function generateOrg(options: GenerateOrgOptions): OrgSnapshot {
  const depth = options.depth ?? DEFAULT_ORG_DEPTH;
  if (!Number.isSafeInteger(options.people) || options.people < 1) throw new RangeError(`people must be a positive integer, got ${options.people}`);
  if (!Number.isSafeInteger(depth) || depth < 1) throw new RangeError(`depth must be a positive integer, got ${depth}`);
  if (depth === 1 && options.people > 1) throw new RangeError('depth 1 holds only one person');
  return new OrgGenerator(new Random(options.seed), options.people, depth).generate(
    options.sequence ?? 1,
    options.generatedAt ?? SEED_GENERATED_AT,
  );
}

class OrgGenerator {
  private readonly people: PersonRecord[] = [];
  private readonly units: Unit[] = [];
  private readonly leaves: PersonRecord[] = [];
  private readonly divisionUnits = new Map<DivisionSpec, Unit>();
  private readonly departmentCounts = new Map<DivisionSpec, number>();
  private nextUnitNumber = 1;

  constructor(
    private readonly random: Random,
    private readonly total: number,
    private readonly depth: number,
  ) {}

  generate(sequence: number, generatedAt: string): OrgSnapshot {
    const company = this.addUnit({ id: COMPANY_UNIT_ID, name: 'Example Corp', parentId: null, kind: 'company' }, 1, null);
    for (const division of [BUILDER_RELATIONS_DIVISION, ...OTHER_DIVISIONS]) {
      const kind = division === BUILDER_RELATIONS_DIVISION ? BUILDER_RELATIONS_KIND : 'division';
      this.divisionUnits.set(division, this.addUnit({ id: `ou-${division.slug}`, name: division.name, parentId: company.record.id, kind }, 2, division));
    }
    // Breadth first, so that ids grow with level and every manager is listed before their reports.
    const queue: Pending[] = [
      { number: 1, budget: this.total, level: 1, role: 'ceo', division: null, headsDivision: false, manager: null },
    ];
    let nextNumber = 2;
    for (let head = 0; head < queue.length; head++) {
      const pending = queue[head] as Pending;
      const below = pending.budget - 1;
      const unit = this.unitFor(pending, below > 0);
      const person = this.addPerson(pending, unit, below > 0);
      if (below === 0) continue;
      const plan = this.planReports(pending, below);
      plan.budgets.forEach((budget, index) => {
        const division = pending.level === 1 ? this.divisionOfVp(index) : pending.division;
        queue.push({
          number: nextNumber++,
          budget,
          level: pending.level + 1,
          role: index === 0 ? plan.firstRole : 'regular',
          division,
          headsDivision: pending.level === 1 && index <= OTHER_DIVISIONS.length,
          manager: { id: person.id, unit },
        });
      });
    }
    this.misplaceAndDeactivate(company);
    return {
      version: 1,
      sequence,
      generatedAt,
      orgUnits: this.units.map((unit) => unit.record),
      people: this.people,
    };
  }

  /** The first VP runs Builder Relations; the others take the remaining divisions in order. */
  private divisionOfVp(index: number): DivisionSpec {
    if (index === 0) return BUILDER_RELATIONS_DIVISION;
    return OTHER_DIVISIONS[(index - 1) % OTHER_DIVISIONS.length] as DivisionSpec;
  }

  private planReports(pending: Pending, below: number): { budgets: number[]; firstRole: Role } {
    const capacity = capacityOf(this.depth - pending.level);
    const minimumSpan = Math.ceil(below / capacity);
    let span: number;
    let forcedShare: number | null = null;
    let firstRole: Role = 'regular';
    switch (pending.role) {
      case 'ceo':
        span = this.random.int(5, 1 + OTHER_DIVISIONS.length);
        forcedShare = VP_LINE_SHARE;
        firstRole = 'vp-builder-relations';
        break;
      case 'vp-builder-relations':
        span = this.random.int(5, 8);
        // A share of the VP's line that makes the mid manager's line ~10% of the whole org.
        forcedShare = Math.min(0.9, (MID_MANAGER_LINE_SHARE * this.total + 1) / below);
        firstRole = 'mid-manager';
        break;
      case 'mid-manager':
      case 'deep-chain':
        span = this.random.int(3, 8);
        forcedShare = DEEP_CHAIN_SHARE;
        firstRole = 'deep-chain';
        break;
      case 'regular':
        // Small teams are mostly flat: a line manager with everyone reporting directly.
        span = below <= 12 && this.random.chance(0.75) ? below : this.random.int(4, 10);
        break;
    }
    span = Math.min(below, Math.max(span, minimumSpan));
    return { budgets: splitBudget(this.random, below, span, forcedShare, capacity), firstRole };
  }

  private unitFor(pending: Pending, isManager: boolean): Unit {
    const company = this.units[0] as Unit;
    if (pending.manager === null) return company;
    if (pending.headsDivision && pending.division) return this.divisionUnits.get(pending.division) as Unit;
    const managerUnit = pending.manager.unit;
    if (!isManager || managerUnit.depth >= MAX_UNIT_DEPTH || managerUnit.division === null) return managerUnit;
    if (managerUnit.depth === 2) return this.addDepartment(managerUnit);
    return this.addUnit(
      { id: this.nextUnitId(managerUnit.division), name: `${this.random.pick(TEAM_NAMES)} Team`, parentId: managerUnit.record.id, kind: 'team' },
      managerUnit.depth + 1,
      managerUnit.division,
    );
  }

  private addDepartment(divisionUnit: Unit): Unit {
    const division = divisionUnit.division as DivisionSpec;
    const count = this.departmentCounts.get(division) ?? 0;
    this.departmentCounts.set(division, count + 1);
    const base = division.departments[count % division.departments.length] as string;
    const round = Math.floor(count / division.departments.length);
    const name = round === 0 ? base : `${base} ${round + 1}`;
    return this.addUnit({ id: this.nextUnitId(division), name, parentId: divisionUnit.record.id, kind: 'department' }, 3, division);
  }

  private nextUnitId(division: DivisionSpec): string {
    return `ou-${division.slug}-${this.nextUnitNumber++}`;
  }

  private addUnit(record: OrgUnitRecord, depth: number, division: DivisionSpec | null): Unit {
    const unit = { record, depth, division };
    this.units.push(unit);
    return unit;
  }

  private addPerson(pending: Pending, unit: Unit, isManager: boolean): PersonRecord {
    const first = this.random.pick(FIRST_NAMES);
    const last = this.random.pick(LAST_NAMES);
    const n = pending.number;
    const person: PersonRecord = {
      id: `p-${n}`,
      // Okta ids are 20 characters starting with 00u; the number part makes them unique.
      oktaId: `00u${n.toString(36).padStart(7, '0')}${this.randomAlphanumeric(10)}`,
      email: `${emailPart(first)}.${emailPart(last)}.${n}@example.com`,
      displayName: `${first} ${last}`,
      title: this.titleFor(pending, unit, isManager),
      managerId: pending.manager?.id ?? null,
      orgUnitId: unit.record.id,
      active: true,
    };
    this.people.push(person);
    if (!isManager && pending.role === 'regular' && !pending.headsDivision) this.leaves.push(person);
    return person;
  }

  private titleFor(pending: Pending, unit: Unit, isManager: boolean): string {
    if (pending.level === 1) return 'Chief Executive Officer';
    const division = pending.division ?? BUILDER_RELATIONS_DIVISION;
    if (pending.headsDivision) return `Vice President, ${division.name}`;
    if (isManager) {
      const rank = pending.level === 3 ? 'Director' : pending.level === 4 ? 'Senior Manager' : 'Manager';
      return `${rank}, ${unit.record.name}`;
    }
    return `${this.random.weightedPick(IC_SENIORITY)}${this.random.pick(division.roles)}`;
  }

  private randomAlphanumeric(length: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let text = '';
    for (let index = 0; index < length; index++) text += alphabet[this.random.int(0, alphabet.length - 1)];
    return text;
  }

  /**
   * A few individual contributors sit in another unit than their manager's, and ~2% of people
   * have left. Only individual contributors leave: an HR feed moves a departing manager's reports
   * to someone else, and the skeleton (CEO, VP, mid manager, deep chain) stays intact for benchmarks.
   */
  private misplaceAndDeactivate(company: Unit): void {
    const elsewhere = this.units.filter((unit) => unit !== company).map((unit) => unit.record.id);
    for (const leaf of this.leaves) {
      if (this.random.chance(MISPLACED_SHARE)) leaf.orgUnitId = this.random.pick(elsewhere);
    }
    const inactive = Math.min(this.leaves.length, Math.round(this.total * INACTIVE_SHARE));
    for (const leaf of this.random.sample(this.leaves, inactive)) leaf.active = false;
  }
}

/** How many people a subtree can hold when it may use `levels` levels (its head included). */
function capacityOf(levels: number): number {
  let capacity = 1;
  for (let level = 1; level < levels && capacity < Number.MAX_SAFE_INTEGER / CAPACITY_SPAN; level++) {
    capacity = 1 + CAPACITY_SPAN * capacity;
  }
  return capacity;
}

/**
 * Splits `total` people into `span` subtree budgets, each in [1, capacity]. The first budget
 * takes `forcedShare` of the total when given; the rest are uneven (exponential weights).
 */
function splitBudget(random: Random, total: number, span: number, forcedShare: number | null, capacity: number): number[] {
  const weights: number[] = [];
  for (let index = 0; index < span; index++) weights.push(-Math.log(1 - random.next()) + 0.05);
  if (forcedShare !== null && span > 1) {
    const others = weights.slice(1).reduce((sum, weight) => sum + weight, 0);
    // Scale so that weights[0] / sum(weights) == forcedShare.
    weights[0] = (others * forcedShare) / (1 - forcedShare);
  }
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const budgets = weights.map((weight) => Math.min(capacity, Math.max(1, Math.floor((total * weight) / weightSum))));
  let assigned = budgets.reduce((sum, budget) => sum + budget, 0);
  // Rounding and the floor of 1 can overshoot by at most `span`: take from the largest.
  while (assigned > total) {
    const largest = budgets.indexOf(Math.max(...budgets));
    budgets[largest] = (budgets[largest] as number) - 1;
    assigned--;
  }
  // Floors and capacity caps leave people over: give them to the heaviest subtrees with room.
  const byWeight = weights.map((weight, index) => [weight, index] as const).sort((left, right) => right[0] - left[0]);
  for (const [, index] of byWeight) {
    if (assigned === total) break;
    const add = Math.min(capacity - (budgets[index] as number), total - assigned);
    budgets[index] = (budgets[index] as number) + add;
    assigned += add;
  }
  return budgets;
}

function emailPart(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
