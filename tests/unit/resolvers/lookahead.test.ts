import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsField, selectsPath } from '../../../resolvers/lookahead.ts';

/** The info of the first `author` field of a document, as an executor hands it to a resolver. */
function authorInfo(source: string) {
  const document = parse(source);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const author = operation.selectionSet.selections[0] as FieldNode;
  const fragments = Object.fromEntries(
    document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [(fragment as FragmentDefinitionNode).name.value, fragment as FragmentDefinitionNode]),
  );
  return { fieldNodes: [author], fragments };
}

describe('selectsField', () => {
  it.each([
    ['a direct field', '{ author { id manager { id } } }', true],
    ['an aliased field', '{ author { boss: manager { id } } }', true],
    ['an inline fragment', '{ author { ... on Person { manager { id } } } }', true],
    ['a named fragment within a fragment', '{ author { ...A } } fragment A on Person { ...B } fragment B on Person { manager { id } }', true],
    ['a field of the same name one level deeper', '{ author { orgUnit { manager { id } } } }', false],
    ['no such field', '{ author { id displayName } }', false],
    ['fragments that spread each other', '{ author { ...A } } fragment A on Person { ...B } fragment B on Person { ...A id }', false],
  ])('%s', (_name, source, expected) => {
    expect(selectsField(authorInfo(source), 'manager')).toBe(expected);
  });
});

describe('selectsPath', () => {
  it.each([
    ['the whole path', '{ author { manager { orgUnit { id } } } }', true],
    ['the path through fragments at each level', '{ author { ...A } } fragment A on Person { manager { ... on Person { ...B } } } fragment B on Person { orgUnit { id } }', true],
    ['the same fragment at two depths', '{ author { ...A manager { ...A } } } fragment A on Person { orgUnit { id } }', true],
    ['only the first step', '{ author { manager { id } } }', false],
    ['the last step one level too high', '{ author { orgUnit { id } manager { id } } }', false],
    ['the steps in the wrong order', '{ author { orgUnit { manager { id } } } }', false],
  ])('%s', (_name, source, expected) => {
    expect(selectsPath(authorInfo(source), ['manager', 'orgUnit'])).toBe(expected);
  });

  it('selects nothing for an empty path', () => {
    expect(selectsPath(authorInfo('{ author { id } }'), [])).toBe(false);
  });
});
