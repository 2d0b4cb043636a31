/**
 * Trusted documents (DESIGN §7, SECURITY-CATALOG C15): automatic persisted queries (APQ) with a
 * bounded cache, and an allow-list mode in which a caller may only run registered operations.
 *
 * APQ is Apollo's own (`persistedQueries`): a client sends `extensions.persistedQuery.sha256Hash`
 * alone; a miss is PERSISTED_QUERY_NOT_FOUND (HTTP 200, as DESIGN §9 and Apollo say) and the
 * client resends hash and text, which Apollo checks (sha256 of the exact text) and stores once
 * the operation has passed validation and every `didResolveOperation` hook. APQ is a bandwidth
 * feature, not an allow-list: anyone authenticated may register anything, and what they register
 * still passes the shape and cost limits (query-safety.ts).
 *
 * The allow-list is operations/registry.json, written by `npm run operations:register -- FILE`.
 * Each operation is registered by the sha256 of its canonical text: the operation printed by
 * graphql-js's `print` (comments, commas and formatting dropped) followed by the fragments it
 * uses, sorted by name. At request time the operation Apollo resolved (with the fragments it
 * uses) is printed the same way and hashed, so a registered operation passes however it is
 * formatted and whatever else is in its document, and any change to what runs does not pass.
 * Registered operations are also pinned in the APQ cache, so a dashboard may send the
 * registered hash alone.
 *
 * Who must use registered operations is decided from the principal, which Apollo knows only
 * once the context is built: the check is a `didResolveOperation` hook (after parsing and
 * validation, before execution; nothing resolves and no SQL runs for a refused operation).
 * TRUSTED_DOCUMENTS: `services` (default) holds dashboard services (client-credentials
 * principals) to the allow-list; `all` holds everyone (people may still introspect, so GraphiQL
 * keeps its docs); `off` holds no one (development and tests only; config.ts refuses it in
 * production). No header a client sends can change this.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ApolloServerPlugin, BaseContext, PersistedQueryOptions } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { z } from 'zod';
import { principalClassOf, type Caller } from './query-safety.ts';

export type TrustedDocumentsMode = 'off' | 'services' | 'all';
export const TRUSTED_DOCUMENTS_MODES: readonly TrustedDocumentsMode[] = ['off', 'services', 'all'];

/** The committed registry, operations/registry.json. */
export const DEFAULT_REGISTRY_FILE = fileURLToPath(new URL('../operations/registry.json', import.meta.url));

export interface RegisteredOperation {
  /** sha256 (hex) of `document`. */
  readonly id: string;
  readonly name: string | null;
  /** The canonical text (see the file comment). */
  readonly document: string;
}

export interface OperationRegistry {
  readonly operations: readonly RegisteredOperation[];
  has(id: string): boolean;
  get(id: string): RegisteredOperation | undefined;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Canonical operations

function fragmentsUsedBy(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: SelectionSetNode[] = [selectionSet];
  while (pending.length > 0) {
    const set = pending.pop() as SelectionSetNode;
    visit(set, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!fragment || used.has(name)) return;
        used.set(name, fragment);
        pending.push(fragment.selectionSet);
      },
    });
  }
  return [...used.values()].sort((a, b) => (a.name.value < b.name.value ? -1 : a.name.value > b.name.value ? 1 : 0));
}

/** The canonical text of one operation of a document: the operation, then its fragments by name. */
export function canonicalOperation(document: DocumentNode, operation: OperationDefinitionNode): string {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return [operation, ...fragmentsUsedBy(operation.selectionSet, fragments)].map((node) => print(node)).join('\n\n');
}

/** Every operation of a GraphQL source, canonical and hashed. */
export function operationsOf(source: string): RegisteredOperation[] {
  const document = parse(source);
  return document.definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => {
      const text = canonicalOperation(document, operation);
      return { id: sha256(text), name: operation.name?.value ?? null, document: text };
    });
}

const ids = new WeakMap<DocumentNode, Map<string, string>>();

/** sha256 of the canonical text of `operation`, memoised per parsed document (Apollo caches those). */
export function operationId(document: DocumentNode, operation: OperationDefinitionNode): string {
  let perOperation = ids.get(document);
  if (!perOperation) ids.set(document, (perOperation = new Map()));
  const key = operation.name?.value ?? '';
  let id = perOperation.get(key);
  if (id === undefined) perOperation.set(key, (id = sha256(canonicalOperation(document, operation))));
  return id;
}

// ---------------------------------------------------------------------------------------------
// The registry file

const registryFileSchema = z.object({
  description: z.string().optional(),
  operations: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), name: z.string().nullable(), document: z.string().min(1) })),
});

export type RegistryFile = z.infer<typeof registryFileSchema>;

const REGISTRY_DESCRIPTION =
  'Operations allowed in trusted-document mode (http/persisted-documents.ts). Written by `npm run operations:register -- FILE.graphql`; review changes like code.';

export function createRegistry(operations: readonly RegisteredOperation[]): OperationRegistry {
  const byId = new Map(operations.map((operation) => [operation.id, operation]));
  return {
    operations: [...byId.values()],
    has: (id) => byId.has(id),
    get: (id) => byId.get(id),
  };
}

/** Parses a registry file's JSON, checking that every id is the hash of its document. */
export function parseRegistry(json: string, origin = 'registry'): OperationRegistry {
  const parsed = registryFileSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new TypeError(`${origin}: not an operation registry (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  for (const operation of parsed.data.operations) {
    if (sha256(operation.document) !== operation.id) throw new TypeError(`${origin}: the id of ${operation.name ?? 'an anonymous operation'} is not the sha256 of its document`);
  }
  return createRegistry(parsed.data.operations);
}

export async function loadRegistry(path: string): Promise<OperationRegistry> {
  return parseRegistry(await readFile(path, 'utf8'), path);
}

/** The registry file's text: operations by name then id, so that diffs stay small. */
export function formatRegistry(registry: OperationRegistry): string {
  const operations = [...registry.operations].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.id.localeCompare(b.id));
  const file: RegistryFile = { description: REGISTRY_DESCRIPTION, operations: operations.map(({ id, name, document }) => ({ id, name, document })) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Adds every operation of `source`; returns the new registry and what was new. */
export function registerOperations(registry: OperationRegistry, source: string): { registry: OperationRegistry; added: RegisteredOperation[] } {
  const added = operationsOf(source).filter((operation) => !registry.has(operation.id));
  return { registry: createRegistry([...registry.operations, ...added]), added };
}

export async function saveRegistry(path: string, registry: OperationRegistry): Promise<void> {
  await writeFile(path, formatRegistry(registry));
}

// ---------------------------------------------------------------------------------------------
// APQ cache

type ApqCache = NonNullable<PersistedQueryOptions['cache']>;

export interface ApqCacheOptions {
  /** Most documents registered through APQ kept at once (least recently used go first). */
  readonly maxEntries?: number;
  /** Most bytes of document text kept at once. */
  readonly maxBytes?: number;
}

const DEFAULT_APQ_ENTRIES = 1000;
const DEFAULT_APQ_BYTES = 8 * 1024 * 1024;

/** Apollo prefixes its APQ keys ('apq:'); the registry is looked up by the bare hash. */
const bareHash = (key: string) => key.slice(key.indexOf(':') + 1);

/**
 * Apollo's APQ store: registered operations pinned (never evicted, never overwritten), and what
 * clients register through APQ in a bounded least-recently-used map.
 */
export class TrustedDocumentCache implements ApqCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(
    private readonly registry: OperationRegistry,
    options: ApqCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? DEFAULT_APQ_ENTRIES;
    this.maxBytes = options.maxBytes ?? DEFAULT_APQ_BYTES;
  }

  /** Documents held besides the registry (tests). */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    const pinned = this.registry.get(bareHash(key));
    if (pinned) return pinned.document;
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    if (this.registry.has(bareHash(key)) || value.length > this.maxBytes) return;
    await this.delete(key);
    this.entries.set(key, value);
    this.bytes += value.length;
    for (const [oldest, text] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= text.length;
    }
  }

  async delete(key: string): Promise<boolean> {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    this.bytes -= value.length;
    return true;
  }
}

/** `persistedQueries` for `new ApolloServer(...)`: APQ on, bounded, registry pinned, no TTL. */
export function persistedQueries(registry: OperationRegistry, options: ApqCacheOptions = {}): PersistedQueryOptions {
  return { cache: new TrustedDocumentCache(registry, options), ttl: null };
}

// ---------------------------------------------------------------------------------------------
// Allow-list mode

/** 400 PERSISTED_QUERY_NOT_ALLOWED (DESIGN §9): this caller may only run registered operations. */
export class PersistedQueryNotAllowedError extends GraphQLError {
  constructor() {
    super('Only registered operations may be run by this caller', {
      extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', http: { status: 400 } },
    });
  }
}

/** Whether this caller is held to registered operations under `mode`. */
export function mustUseRegisteredOperations(mode: TrustedDocumentsMode, caller: Caller): boolean {
  if (mode === 'off') return false;
  return mode === 'all' || principalClassOf(caller) === 'service';
}

function isIntrospectionOnly(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const only = (set: SelectionSetNode): boolean =>
    set.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__');
      if (selection.kind === Kind.INLINE_FRAGMENT) return only(selection.selectionSet);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return fragment !== undefined;
      seen.add(fragment.name.value);
      return only(fragment.selectionSet);
    });
  return operation.operation === 'query' && only(operation.selectionSet);
}

export interface TrustedDocumentsOptions {
  readonly mode: TrustedDocumentsMode;
  readonly registry: OperationRegistry;
}

export function trustedDocumentsPlugin<Context extends BaseContext & Caller>(options: TrustedDocumentsOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (!mustUseRegisteredOperations(options.mode, contextValue)) return;
          if (!operation) throw new PersistedQueryNotAllowedError();
          if (options.registry.has(operationId(document, operation))) return;
          // Held to the list only by `all`, a person may still read the schema (GraphiQL).
          if (principalClassOf(contextValue) !== 'service' && isIntrospectionOnly(document, operation)) return;
          throw new PersistedQueryNotAllowedError();
        },
      };
    },
  };
}
