/** Scalars from graphql-scalars rather than hand-written ones. */
export { DateTimeResolver as DateTimeScalar, JSONResolver as JSONScalar } from 'graphql-scalars';
