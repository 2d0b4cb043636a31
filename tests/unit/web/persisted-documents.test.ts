/** Canonical operations, the registry file and the APQ cache (http/persisted-documents.ts). */
import { createHash } from 'node:crypto';
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  canonicalOperation,
  createRegistry,
  formatRegistry,
  mustUseRegisteredOperations,
  operationId,
  operationsOf,
  parseRegistry,
  registerOperations,
  TrustedDocumentCache,
} from '../../../http/persisted-documents.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const SOURCE = `
  # a comment
  query B { me { ...Who } }
  query A($n: Int) { reports(first: $n) { edges { node { ...R } } } }
  fragment Who on Viewer { kind, roles }
  fragment R on Report { id author { ...P } }
  fragment P on Person { id }
`;

describe('canonical operations', () => {
  it('keep one operation and the fragments it uses, sorted by name, printed by graphql-js', () => {
    const [b, a] = operationsOf(SOURCE);
    expect(b?.name).toBe('B');
    expect(b?.document).toBe('query B {\n  me {\n    ...Who\n  }\n}\n\nfragment Who on Viewer {\n  kind\n  roles\n}');
    expect(a?.document.split('\n\n').map((part) => part.split(' ').slice(0, 2).join(' '))).toEqual(['query A($n:', 'fragment P', 'fragment R']);
    expect(a?.id).toBe(sha256(a?.document ?? ''));
  });

  it('the same operation formatted differently, or in another document, has the same id', () => {
    const [b] = operationsOf(SOURCE);
    const other = parse('fragment Who on Viewer { kind roles }\nquery B{me{...Who}} query C { me { kind } }');
    const operation = other.definitions.find((definition) => definition.kind === 'OperationDefinition' && definition.name?.value === 'B') as OperationDefinitionNode;
    expect(operationId(other, operation)).toBe(b?.id);
    expect(canonicalOperation(other, operation)).toBe(b?.document);
  });

  it('any change to what runs changes the id', () => {
    const [b] = operationsOf(SOURCE);
    const [changed] = operationsOf('query B { me { ...Who } } fragment Who on Viewer { kind roles scopes }');
    expect(changed?.id).not.toBe(b?.id);
  });
});

describe('the registry file', () => {
  it('round-trips, sorted, and adds only what is new', () => {
    const first = registerOperations(createRegistry([]), SOURCE);
    expect(first.added.map((operation) => operation.name)).toEqual(['B', 'A']);
    const again = registerOperations(first.registry, SOURCE);
    expect(again.added).toEqual([]);
    const text = formatRegistry(again.registry);
    const reread = parseRegistry(text);
    expect(reread.operations.map((operation) => operation.name)).toEqual(['A', 'B']);
    expect(formatRegistry(reread)).toBe(text);
  });

  it('refuses an entry whose id is not the hash of its document', () => {
    const text = formatRegistry(registerOperations(createRegistry([]), SOURCE).registry).replace('kind', 'scopes');
    expect(() => parseRegistry(text, 'tampered.json')).toThrow(/tampered.json: the id of B is not the sha256/);
    expect(() => parseRegistry('{"operations": [{"id": "x"}]}')).toThrow(TypeError);
  });
});

describe('TrustedDocumentCache', () => {
  const registry = registerOperations(createRegistry([]), SOURCE).registry;
  const pinned = registry.operations[0];

  it('serves registered operations under Apollo\'s prefixed key, and never replaces them', async () => {
    const cache = new TrustedDocumentCache(registry, { maxEntries: 2 });
    expect(await cache.get(`apq:${pinned?.id}`)).toBe(pinned?.document);
    await cache.set(`apq:${pinned?.id}`, '{ me { kind } }');
    expect(await cache.get(`apq:${pinned?.id}`)).toBe(pinned?.document);
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries and maxBytes, dropping the least recently used', async () => {
    const cache = new TrustedDocumentCache(registry, { maxEntries: 2, maxBytes: 30 });
    await cache.set('apq:1', 'aaaaaaaaaa');
    await cache.set('apq:2', 'bbbbbbbbbb');
    expect(await cache.get('apq:1')).toBe('aaaaaaaaaa');
    await cache.set('apq:3', 'cccccccccc');
    expect(await cache.get('apq:2')).toBeUndefined();
    expect(await cache.get('apq:1')).toBe('aaaaaaaaaa');
    await cache.set('apq:4', 'dddddddddddddddddddd');
    expect(await cache.get('apq:3')).toBeUndefined();
    expect(cache.size).toBe(2);
    await cache.set('apq:5', 'x'.repeat(31));
    expect(await cache.get('apq:5')).toBeUndefined();
    expect(await cache.delete('apq:4')).toBe(true);
    expect(cache.size).toBe(1);
  });
});

describe('who is held to the registry', () => {
  const token = { subject: 's' } as never;
  const service = { principal: { kind: 'client', token, clientId: 'dashboard-service' } as const, viewer: { kind: 'service', clientId: 'dashboard-service', roles: ['dashboard'] } as const };
  const person = { principal: { kind: 'person', token, person: {} as never } as const, viewer: { kind: 'person', personId: 'p', orgUnitId: 'u', roles: ['analyst'], breakGlass: false } as const };
  it.each([
    ['off', false, false],
    ['services', true, false],
    ['all', true, true],
  ] as const)('%s: services %s, people %s', (mode, services, people) => {
    expect(mustUseRegisteredOperations(mode, service)).toBe(services);
    expect(mustUseRegisteredOperations(mode, person)).toBe(people);
  });
});
