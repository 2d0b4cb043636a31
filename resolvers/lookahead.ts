/**
 * What a response asks for below the field being resolved, so a loader can fetch the next levels
 * in the same statement. Fragments count; @skip and @include are not evaluated, so a "yes" may
 * fetch rows a skipped field then ignores: rows within scope, a cost, never a leak.
 *
 * Hand-written: graphql-parse-resolve-info builds the whole typed tree with arguments for every
 * call, where a batch needs one yes or no.
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type Lookahead = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * Answers by field (its nodes: the same array for every row of a list, and each document's own)
 * and path: a resolver asks once per row, and the walk builds a Set and closures each time.
 */
const answers = new WeakMap<readonly FieldNode[], Map<string, boolean>>();

/** Whether the response selects `path` (field names, outermost first) below the current field. */
export function selectsPath(info: Lookahead, path: readonly string[]): boolean {
  let known = answers.get(info.fieldNodes);
  if (!known) {
    known = new Map();
    answers.set(info.fieldNodes, known);
  }
  const key = path.join('.');
  let answer = known.get(key);
  if (answer === undefined) {
    answer = walk(info, path);
    known.set(key, answer);
  }
  return answer;
}

function walk(info: Lookahead, path: readonly string[]): boolean {
  // A fragment that answered "no" at a depth answers "no" there again (and spreads that loop,
  // which validation refuses anyway, end here).
  const visited = new Set<string>();
  const within = (selectionSet: SelectionSetNode | undefined, depth: number): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          if (selection.name.value !== path[depth]) return false;
          return depth === path.length - 1 || within(selection.selectionSet, depth + 1);
        case Kind.INLINE_FRAGMENT:
          return within(selection.selectionSet, depth);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = info.fragments[selection.name.value];
          const key = `${selection.name.value}@${depth}`;
          if (!fragment || visited.has(key)) return false;
          visited.add(key);
          return within(fragment.selectionSet, depth);
        }
      }
    });
  return path.length > 0 && info.fieldNodes.some((node) => within(node.selectionSet, 0));
}

export function selectsField(info: Lookahead, name: string): boolean {
  return selectsPath(info, [name]);
}
