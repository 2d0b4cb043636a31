/** Connection arguments (DESIGN §5): `first` defaults to 20, at most 100; opaque cursors. */
import { z } from 'zod';
import { BadUserInputError } from '../errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE} (got ${first})`);
  }
  return first;
}

/** Cursors are base64url JSON: opaque to clients, checked on the way back in. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | null | undefined, shape: z.ZodType<T>): T | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new BadUserInputError('after is not a cursor this API gave out');
  }
}

/**
 * A connection's edge whose cursor is encoded when it is read: most pages select none (a list
 * of reports with their authors, say), and encoding every row's was 2% of such a page's CPU.
 */
class Edge<Row, Node> {
  constructor(
    readonly node: Node,
    private readonly row: Row,
    private readonly cursorOf: (row: Row) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.row);
  }
}

export function edgeOf<Row, Node>(row: Row, node: Node, cursorOf: (row: Row) => string): { readonly node: Node; readonly cursor: string } {
  return new Edge(node, row, cursorOf);
}

/**
 * A value computed only if GraphQL asks for it: graphql-js awaits a field's thenable, so a
 * connection's totalCount (a COUNT over everything visible) runs only when selected.
 */
export function whenSelected<T>(load: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then: (onFulfilled, onRejected) => {
      started ??= load();
      return started.then(onFulfilled, onRejected);
    },
  };
}
