/** Relay-style connections (DESIGN §5): edges { cursor node }, pageInfo, totalCount. */
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'Where a page ends, for fetching the next one.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Opaque cursor of the last item; pass it as `after`.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** May be deferred (resolvers/paging.ts whenSelected): counted only when asked for. */
  totalCount: number | PromiseLike<number>;
}

/** Creates the Edge and Connection object types of a node type. */
export function connectionOf<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${name} in a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: 'Opaque position of this item.' })
    cursor!: string;

    @Field(() => node, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${name} items you may see.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page.' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Paging state.' })
    pageInfo!: PageInfo;

    // Not read inline: a deferred count is a promise-like, which graphql-jit awaits only when a
    // resolver returns it.
    @Field(() => Int, { simple: false, description: 'How many items you may see in all, across pages.' })
    totalCount!: number | PromiseLike<number>;
  }
  return ConnectionType;
}
