/** The strict claims schema: types checked, principal built by explicit picks (A11, A16). */
import { describe, expect, it } from 'vitest';
import { toVerifiedToken } from '../../../auth/claims.ts';
import { InvalidTokenError } from '../../../auth/index.ts';

const base = { sub: 'ada@example.com', iat: 1_800_000_000, exp: 1_800_003_600 };

describe('toVerifiedToken', () => {
  it('maps Okta claims to the verified token', () => {
    expect(toVerifiedToken({ ...base, uid: '00u1', cid: 'web', groups: ['g'], scp: ['insights.read'], jti: 'j' })).toEqual({
      subject: 'ada@example.com',
      oktaUserId: '00u1',
      clientId: 'web',
      groups: ['g'],
      scopes: ['insights.read'],
      issuedAt: new Date(1_800_000_000_000),
      expiresAt: new Date(1_800_003_600_000),
      tokenId: 'j',
    });
  });

  it('defaults groups and scopes to empty lists, and merges scp with scope without duplicates', () => {
    expect(toVerifiedToken(base)).toMatchObject({ groups: [], scopes: [] });
    expect(toVerifiedToken({ ...base, scp: ['a', 'b'], scope: ' b c ' }).scopes).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['groups as a string', { groups: 'superadmins' }],
    ['groups with null', { groups: [null] }],
    ['scp as a string', { scp: 'insights.write' }],
    ['scope as an array', { scope: ['insights.write'] }],
    ['uid empty', { uid: '' }],
    ['uid null', { uid: null }],
    ['sub as an array', { sub: ['ada'] }],
    ['exp as a string', { exp: '1800003600' }],
  ])('refuses %s as bad_claim_type', (_label, overrides) => {
    let caught: unknown;
    try {
      toVerifiedToken({ ...base, ...overrides } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidTokenError);
    expect(caught).toMatchObject({ reason: 'bad_claim_type' });
  });

  it('returns a frozen token whose lists cannot be changed by a caller', () => {
    const verified = toVerifiedToken({ ...base, groups: ['g'] });
    expect(Object.isFrozen(verified)).toBe(true);
    expect(Object.isFrozen(verified.groups)).toBe(true);
  });

  it('never copies __proto__ or unknown claims into the token', () => {
    const payload = JSON.parse(`{"__proto__":{"groups":["admins"]},"roles":["admin"],"sub":"ada","iat":1,"exp":2}`) as never;
    const verified = toVerifiedToken(payload);
    expect(verified.groups).toEqual([]);
    expect('roles' in verified).toBe(false);
    expect(Object.getPrototypeOf(verified)).toBe(Object.prototype);
  });
});
