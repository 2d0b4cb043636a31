/**
 * Query safety (DESIGN §7, SECURITY-CATALOG C): the shape of a document is checked before
 * anything resolves, so no resolver runs and no SQL is sent for a document that is too deep,
 * too wide or too expensive.
 *
 * - Tokens: graphql-js's own parser limit (`parseOptions.maxTokens`): the parser stops counting
 *   at the limit, so a huge document costs no more than the limit to refuse (400
 *   GRAPHQL_PARSE_FAILED).
 * - Depth, aliases, directives: graphql-armor validation rules (400 GRAPHQL_VALIDATION_FAILED).
 *   Validated documents are cached by Apollo per query hash, so these rules must not depend on
 *   the caller, and they don't.
 * - Introspection nesting (`__schema { types { fields { type { fields … } } } }`, which armor's
 *   depth rule skips): graphql-js 16's own MaxIntrospectionDepthRule, among the specified rules
 *   Apollo always runs.
 * - Cost: computed per request, once the operation and variables are known, and compared with
 *   the budget of the caller's class (analysts explore, frontends run app queries, dashboard
 *   services run fixed aggregates). A plugin hook (`didResolveOperation`) rather than a
 *   validation rule, because the limit depends on the caller and `first` may be a variable.
 *   Refused with 400 GRAPHQL_VALIDATION_FAILED, like the other shape limits.
 * - Suggestions: `stripSuggestions` removes "Did you mean …?" from a formatted error. Apollo's
 *   `hideSchemaDetailsFromClientErrors` only rewrites validation errors; variable-coercion errors
 *   ("Field "statuss" is not defined by type "ReportFilter". Did you mean "status"?") pass through
 *   it (apollo-server issue #8086), so formatError strips them all in production.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { Principal } from '../auth/principal.ts';
import type { Viewer } from '../policies/index.ts';

/** Who is asking, for budgets: dashboards (service viewers), analysts, or anyone else (apps). */
export type PrincipalClass = 'analyst' | 'frontend' | 'service';

export const PRINCIPAL_CLASSES: readonly PrincipalClass[] = ['analyst', 'frontend', 'service'];

/** Who is asking, as the GatewayContext says. */
export interface Caller {
  readonly principal: Principal;
  readonly viewer: Viewer;
}

export function principalClassOf(context: Caller): PrincipalClass {
  if (context.principal.kind === 'client' || context.viewer.kind === 'service') return 'service';
  if (context.viewer.kind === 'person' && context.viewer.roles.includes('analyst')) return 'analyst';
  return 'frontend';
}

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  /** Largest cost of one operation, per class of caller. */
  readonly maxCost: Readonly<Record<PrincipalClass, number>>;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 10,
  maxTokens: 2000,
  maxCost: Object.freeze({ analyst: 20_000, frontend: 10_000, service: 5000 }),
});

// ---------------------------------------------------------------------------------------------
// Cost model

/** Page size assumed for a connection whose `first` is omitted (the API default). */
const DEFAULT_PAGE_SIZE = 20;
/** Largest page the API serves; a larger or unreadable `first` counts as this. */
const MAX_PAGE_SIZE = 100;
/** Rows assumed for a list field that takes no `first`. */
const DEFAULT_LIST_SIZE = 10;
/** Lists whose size is known to differ from DEFAULT_LIST_SIZE (`Type.field`). */
const LIST_SIZES: Readonly<Record<string, number>> = Object.freeze({
  'Query.orgUnits': 50,
  'Query.reportStats': 50,
  'Query.reportTrend': 50,
  'Query.usageStats': 50,
});
/** Scalar fields that cost a statement of their own. */
const SCALAR_COSTS: Readonly<Record<string, number>> = Object.freeze({ totalCount: 1 });
/** `__schema` or `__type`: bounded by the schema and by graphql-js's introspection depth rule. */
const INTROSPECTION_COST = 100;

/**
 * The cost of running `operation`: every object field costs 1, scalars nothing (they come with
 * their row) except those in SCALAR_COSTS, and what is selected under a list counts once per
 * element: `first` (default 20, at most 100) for a field that takes it (the `edges` of its
 * connection then count once), else the list's assumed size. Fragments are costed once each, so the work is linear in the document.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): number {
  const rootType =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!rootType) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const fragmentCosts = new Map<string, number>();
  const visiting = new Set<string>();

  const intValue = (node: ValueNode | undefined): number | undefined => {
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const given = variables[node.name.value];
      if (typeof given === 'number') return given;
      if (given === undefined) return intValue(variableDefaults.get(node.name.value));
    }
    return undefined;
  };

  const pageSize = (field: FieldNode): number => {
    const argument = field.arguments?.find((candidate) => candidate.name.value === 'first');
    if (!argument || argument.value.kind === Kind.NULL) return DEFAULT_PAGE_SIZE;
    const value = intValue(argument.value);
    if (value === undefined || !Number.isFinite(value)) return MAX_PAGE_SIZE;
    return Math.min(Math.max(Math.trunc(value), 0), MAX_PAGE_SIZE);
  };

  const selectionSetCost = (set: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition)) cost += selectionSetCost(selection.selectionSet, condition);
      } else {
        cost += fragmentCost(selection.name.value);
      }
    }
    return cost;
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return 0;
    const condition = schema.getType(fragment.typeCondition.name.value);
    if (!condition || !isCompositeType(condition)) return 0;
    visiting.add(name);
    const cost = selectionSetCost(fragment.selectionSet, condition);
    visiting.delete(name);
    fragmentCosts.set(name, cost);
    return cost;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLCompositeType): number => {
    const name = field.name.value;
    if (name === '__typename') return 0;
    if (name.startsWith('__')) return INTROSPECTION_COST;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const definition = parent.getFields()[name];
    if (!definition) return 0;
    const named = getNamedType(definition.type);
    if (!field.selectionSet || !isCompositeType(named)) return SCALAR_COSTS[name] ?? 0;
    const takesFirst = definition.args.some((argument) => argument.name === 'first');
    // A connection's page size is counted at the field that takes `first`, not again at `edges`.
    const multiplier = takesFirst
      ? pageSize(field)
      : isListType(getNullableType(definition.type)) && !parent.name.endsWith('Connection')
        ? (LIST_SIZES[`${parent.name}.${name}`] ?? DEFAULT_LIST_SIZE)
        : 1;
    return 1 + multiplier * selectionSetCost(field.selectionSet, named);
  };

  return selectionSetCost(operation.selectionSet, rootType);
}

// ---------------------------------------------------------------------------------------------
// Validation rules

export interface QuerySafetyOptions {
  readonly limits?: QueryLimits;
  /** Production: limits are not named in messages (SECURITY-CATALOG C4, `exposeLimits: false`). */
  readonly exposeLimits: boolean;
  /**
   * Called with the cost of every operation that fits its class's limit, before it runs; it
   * may throw (a GraphQLError with extensions.http) to refuse it, e.g. a per-minute budget
   * (http/rate-limit.ts costBudgets().charge).
   */
  readonly charge?: (caller: Caller, cost: number, principalClass: PrincipalClass) => void;
}

/** What to pass to `new ApolloServer({ ... })`: `parseOptions`, `validationRules`, `plugins`. */
export interface QuerySafety<Context extends BaseContext> {
  readonly parseOptions: { readonly maxTokens: number };
  readonly validationRules: ValidationRule[];
  readonly plugins: ApolloServerPlugin<Context>[];
}

/** A shape limit broken: 400 GRAPHQL_VALIDATION_FAILED, before anything runs. */
export class QueryTooComplexError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
  }
}

function armorRules(limits: QueryLimits, exposeLimits: boolean): ValidationRule[] {
  // armor prefixes its messages with "Syntax Error: " and reports them as BAD_USER_INPUT; Apollo
  // turns every validation error into GRAPHQL_VALIDATION_FAILED anyway, and the message reads
  // better without the prefix.
  const report = (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
  const common = { exposeLimits, errorMessage: 'Query validation error.', propagateOnRejection: false, onReject: [report] };
  const { validationRules } = new ApolloArmor({
    maxDepth: { ...common, n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { ...common, n: limits.maxAliases, allowList: [] },
    maxDirectives: { ...common, n: limits.maxDirectives },
    // Tokens: graphql-js's parser limit (parseOptions); cost: ours (per caller, with `first`);
    // suggestions: stripSuggestions in formatError, which sees every error.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return validationRules;
}

/**
 * Costs of operations without variables, by their parsed node: Apollo keeps parsed documents
 * (its document store), so a dashboard's repeated query is costed once, not on every request.
 */
const costsWithoutVariables = new WeakMap<OperationDefinitionNode, number>();

function costOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): number {
  if (operation.variableDefinitions?.length) return operationCost(schema, document, operation, variables);
  let cost = costsWithoutVariables.get(operation);
  if (cost === undefined) {
    cost = operationCost(schema, document, operation);
    costsWithoutVariables.set(operation, cost);
  }
  return cost;
}

/** Context fields the cost plugin reads: who is asking. */
interface CallerContext extends BaseContext, Caller {}

export function querySafety<Context extends CallerContext>(options: QuerySafetyOptions): QuerySafety<Context> {
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const costPlugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const cost = costOf(schema, document, operation, request.variables ?? {});
          const principalClass = principalClassOf(contextValue);
          const limit = limits.maxCost[principalClass];
          if (cost > limit) {
            throw new QueryTooComplexError(
              options.exposeLimits
                ? `The operation costs ${cost}, over the limit of ${limit} for ${principalClass} callers; ask for fewer items or fields.`
                : 'The operation is too expensive; ask for fewer items or fields.',
            );
          }
          options.charge?.(contextValue, cost, principalClass);
        },
      };
    },
  };
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: armorRules(limits, options.exposeLimits),
    plugins: [costPlugin],
  };
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/** " Did you mean "status"?", " Did you mean "a" or "b"?", " Did you mean the enum value "X"?" */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** The formatted error without "Did you mean …?" hints (for production formatError). */
export function stripSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.message.includes('Did you mean')) return formatted;
  return { ...formatted, message: formatted.message.replace(SUGGESTION, '') };
}
