/**
 * errors.ts knows the codes issue 8 adds (DESIGN §9): PERSISTED_QUERY_NOT_ALLOWED passes masking,
 * and Apollo's code-less 400 request errors (APQ hash mismatch) keep their message. Fails until
 * the errors.ts part of the issue-8 wiring is applied.
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isPublicCode, maskError } from '../../../errors.ts';
import { PersistedQueryNotAllowedError } from '../../../http/persisted-documents.ts';
import { QueryTooComplexError } from '../../../http/query-safety.ts';
import { RateLimitedError } from '../../../http/rate-limit.ts';

const format = (error: GraphQLError) => maskError(error.toJSON(), error);

describe('issue 8 error codes through maskError', () => {
  it('PERSISTED_QUERY_NOT_ALLOWED, RATE_LIMITED and GRAPHQL_VALIDATION_FAILED are public', () => {
    expect(isPublicCode('PERSISTED_QUERY_NOT_ALLOWED')).toBe(true);
    expect(format(new PersistedQueryNotAllowedError()).extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(format(new RateLimitedError(3)).extensions?.code).toBe('RATE_LIMITED');
    expect(format(new QueryTooComplexError('too expensive')).extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('an APQ hash mismatch keeps its message', () => {
    const error = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });
    expect(format(error)).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
  });
});
