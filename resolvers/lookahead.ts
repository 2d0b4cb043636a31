/**
 * What a response asks for below the field being resolved, so a loader can fetch the next level
 * in the same statement. Fragments count; @skip and @include are not evaluated, so a "yes" may
 * fetch rows a skipped field then ignores: rows within scope, a cost, never a leak.
 *
 * Hand-written: graphql-parse-resolve-info builds the whole typed tree with arguments for every
 * call, where a batch needs one yes or no.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, name: string): boolean {
  const seen = new Set<string>();
  const within = (selectionSet: SelectionSetNode | undefined): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === name;
        case Kind.INLINE_FRAGMENT:
          return within(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = info.fragments[selection.name.value];
          if (!fragment || seen.has(fragment.name.value)) return false;
          seen.add(fragment.name.value);
          return within(fragment.selectionSet);
        }
      }
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}
