/** The cost model, the principal classes and suggestion stripping (http/query-safety.ts). */
import 'reflect-metadata';
import { Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../auth/principal.ts';
import { operationCost, principalClassOf, stripSuggestions } from '../../../http/query-safety.ts';
import type { Viewer } from '../../../policies/index.ts';
import { buildGatewaySchema } from '../../../schema/build.ts';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGatewaySchema();
});

function cost(source: string, variables: Record<string, unknown> = {}, operationName?: string): number {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  );
  if (!operation) throw new Error('no operation');
  return operationCost(schema, document, operation, variables);
}

describe('operationCost', () => {
  it('objects cost 1, scalars nothing, totalCount 1', () => {
    expect(cost('{ me { kind roles } }')).toBe(1);
    expect(cost('{ me { person { id orgUnit { name } } } }')).toBe(3);
    expect(cost('{ reports { totalCount } }')).toBe(1 + 20 * 1);
  });

  it('a connection multiplies what is under it by `first` (default 20, at most 100), edges counted once', () => {
    expect(cost('{ reports(first: 10) { edges { node { id author { id } } } } }')).toBe(1 + 10 * (1 + 1 + 1));
    expect(cost('{ reports { edges { node { id } } } }')).toBe(1 + 20 * 2);
    expect(cost('{ reports(first: 5000) { edges { node { id } } } }')).toBe(1 + 100 * 2);
    expect(cost('{ reports(first: -3) { edges { node { id } } } }')).toBe(1);
  });

  it('reads `first` from variables, then from the variable default, and assumes the worst when it cannot', () => {
    const source = 'query($n: Int = 7) { reports(first: $n) { edges { node { id } } } }';
    expect(cost(source, { n: 3 })).toBe(1 + 3 * 2);
    expect(cost(source)).toBe(1 + 7 * 2);
    expect(cost('query($n: Int) { reports(first: $n) { edges { node { id } } } }')).toBe(1 + 100 * 2);
    expect(cost('query($n: Int) { reports(first: $n) { edges { node { id } } } }', { n: 'x' })).toBe(1 + 100 * 2);
  });

  it('plain lists count their assumed size, and nest', () => {
    expect(cost('{ orgUnits { id } }')).toBe(1 + 50 * 0);
    expect(cost('{ orgUnits { parent { id } } }')).toBe(1 + 50 * 1);
    expect(cost('{ orgUnits { children { children { id } } } }')).toBe(1 + 50 * (1 + 10 * 1));
    expect(cost('{ people(first: 100) { edges { node { directReports { directReports { directReports { id } } } } } } }')).toBe(11_301);
  });

  it('fragments and inline fragments cost what they select, each fragment computed once', () => {
    expect(cost('{ me { ...V } } fragment V on Viewer { person { ...P } } fragment P on Person { manager { id } }')).toBe(1 + 1 + 1);
    expect(cost('{ me { ... on Viewer { person { id } } } }')).toBe(2);
    // 20 fragments each spreading the next twice: linear work, exponential cost (refused by the limit).
    const chain = Array.from({ length: 20 }, (_, index) => `fragment F${index} on Person { a: manager { ...F${index + 1} } b: manager { ...F${index + 1} } }`).join('\n');
    const started = performance.now();
    const value = cost(`{ person(id: "x") { ...F0 } } ${chain} fragment F20 on Person { id }`);
    expect(performance.now() - started).toBeLessThan(100);
    expect(value).toBeGreaterThan(1_000_000);
  });

  it('introspection costs a flat amount; __typename nothing', () => {
    expect(cost('{ __typename __schema { types { name fields { name } } } }')).toBe(100);
  });

  it('costs the operation asked for', () => {
    const source = 'query A { me { kind } } query B { reports(first: 2) { edges { node { id } } } }';
    expect(cost(source, {}, 'A')).toBe(1);
    expect(cost(source, {}, 'B')).toBe(1 + 2 * 2);
  });
});

describe('principalClassOf', () => {
  const token = { subject: 's' } as Principal['token'];
  const person = (roles: string[]): { principal: Principal; viewer: Viewer } => ({
    principal: { kind: 'person', token, person: {} as never },
    viewer: { kind: 'person', personId: 'p', orgUnitId: 'u', roles: roles as never, breakGlass: false },
  });
  it('services are dashboards, analysts are people with the analyst role, everyone else is a frontend', () => {
    expect(principalClassOf({ principal: { kind: 'client', token, clientId: 'dashboard-service' }, viewer: { kind: 'service', clientId: 'dashboard-service', roles: ['dashboard'] } })).toBe('service');
    expect(principalClassOf({ principal: { kind: 'client', token, clientId: 'unlisted' }, viewer: { kind: 'nobody' } })).toBe('service');
    expect(principalClassOf(person(['member', 'analyst']))).toBe('analyst');
    expect(principalClassOf(person(['member', 'builder', 'manager']))).toBe('frontend');
    expect(principalClassOf({ principal: { kind: 'unknown', token }, viewer: { kind: 'nobody' } })).toBe('frontend');
  });
});

describe('stripSuggestions', () => {
  it.each([
    ['Cannot query field "reprt" on type "Query". Did you mean "report" or "reports"?', 'Cannot query field "reprt" on type "Query".'],
    [
      'Variable "$f" got invalid value { statuss: [] }; Field "statuss" is not defined by type "ReportFilter". Did you mean "status"?',
      'Variable "$f" got invalid value { statuss: [] }; Field "statuss" is not defined by type "ReportFilter".',
    ],
    ['Value "PUBLISHD" does not exist in "ReportStatus" enum. Did you mean the enum value "PUBLISHED"?', 'Value "PUBLISHD" does not exist in "ReportStatus" enum.'],
    ['Unknown type "ReportFiltr". Did you mean "ReportFilter", "PersonFilter", or "AuditFilter"?', 'Unknown type "ReportFiltr".'],
    ['Nothing to strip here?', 'Nothing to strip here?'],
  ])('%s', (message, expected) => {
    const stripped = stripSuggestions({ message, extensions: { code: 'X' }, locations: [{ line: 1, column: 2 }] });
    expect(stripped).toEqual({ message: expected, extensions: { code: 'X' }, locations: [{ line: 1, column: 2 }] });
  });
});
