/** RFC 6750 §2: reading the bearer token of a request (SECURITY-CATALOG A17–A19). */
import { describe, expect, it } from 'vitest';
import { extractBearerToken } from '../../../auth/bearer.ts';
import { InvalidRequestError, InvalidTokenError, MAX_TOKEN_BYTES } from '../../../auth/index.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln';

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectRequestError(run: () => unknown, reason: string): void {
  const error = failure(run);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error).toMatchObject({ reason, status: 400, code: 'invalid_request' });
}

describe('extractBearerToken', () => {
  it.each([
    ['Bearer', `Bearer ${JWT}`],
    ['lower-case scheme', `bearer ${JWT}`],
    ['upper-case scheme', `BEARER ${JWT}`],
    ['several spaces (1*SP)', `Bearer   ${JWT}`],
    ['b64token punctuation and padding', 'Bearer abc-._~+/xyz=='],
  ])('reads the token with %s', (_label, header) => {
    expect(extractBearerToken({ authorization: header })).toBe(header.split(/ +/)[1]);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['Basic', 'Basic YWRhOnNlY3JldA=='],
    ['DPoP', `DPoP ${JWT}`],
    ['a bare other scheme', 'Negotiate'],
  ])('reports no bearer credentials when the header is %s', (_label, header) => {
    expect(extractBearerToken({ authorization: header })).toBeUndefined();
  });

  it.each([
    ['Bearer with no token', 'Bearer'],
    ['Bearer and a space', 'Bearer '],
    ['a space inside the token', 'Bearer abc def'],
    ['a tab separator', `Bearer\t${JWT}`],
    ['a newline in the token', 'Bearer abc\ndef'],
    ['non-ASCII in the token', 'Bearer abcé'],
    ['a comma list', 'Bearer abc, Bearer def'],
    ['padding in the middle', 'Bearer ab=c'],
    ['a quoted token', 'Bearer "abc"'],
    ['garbage before the scheme', '@Bearer abc'],
  ])('refuses %s as invalid_request', (_label, header) => {
    expectRequestError(() => extractBearerToken({ authorization: header }), 'malformed_authorization');
  });

  it('refuses a token given both in the header and as access_token', () => {
    const searchParams = new URLSearchParams({ access_token: JWT });
    expectRequestError(() => extractBearerToken({ authorization: `Bearer ${JWT}`, searchParams }), 'token_sent_twice');
  });

  it('refuses a token given only in the query string, even an empty one', () => {
    expectRequestError(() => extractBearerToken({ authorization: undefined, searchParams: new URLSearchParams({ access_token: JWT }) }), 'token_in_query');
    expectRequestError(() => extractBearerToken({ authorization: undefined, searchParams: new URLSearchParams('access_token') }), 'token_in_query');
  });

  it('ignores unrelated query parameters', () => {
    expect(extractBearerToken({ authorization: `Bearer ${JWT}`, searchParams: new URLSearchParams({ query: '{me{id}}' }) })).toBe(JWT);
  });

  it('refuses several Authorization headers, and reads a single one given as a list', () => {
    expectRequestError(() => extractBearerToken({ authorization: [`Bearer ${JWT}`, 'Bearer other'] }), 'duplicate_authorization');
    expect(extractBearerToken({ authorization: [`Bearer ${JWT}`] })).toBe(JWT);
  });

  it(`accepts a ${MAX_TOKEN_BYTES}-byte token and refuses one byte more as too_large (401)`, () => {
    const atCap = 'a'.repeat(MAX_TOKEN_BYTES);
    expect(extractBearerToken({ authorization: `Bearer ${atCap}` })).toBe(atCap);
    const error = failure(() => extractBearerToken({ authorization: `Bearer ${atCap}a` }));
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ reason: 'too_large', status: 401, code: 'invalid_token' });
  });
});
