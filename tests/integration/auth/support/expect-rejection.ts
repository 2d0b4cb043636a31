/** Assertions on how a verification fails: the class and the operator reason, never just "throws". */
import { expect } from 'vitest';
import { InvalidTokenError, KeySetUnavailableError, type InvalidTokenReason } from '../../../../auth/index.ts';

export async function expectInvalid(promise: Promise<unknown>, reason: InvalidTokenReason): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error, `expected InvalidTokenError(${reason})`).toBeInstanceOf(InvalidTokenError);
  expect({ reason: (error as InvalidTokenError).reason, status: (error as InvalidTokenError).status }).toEqual({ reason, status: 401 });
}

export async function expectUnavailable(promise: Promise<unknown>): Promise<KeySetUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(KeySetUnavailableError);
  const unavailable = error as KeySetUnavailableError;
  expect(unavailable.status).toBe(503);
  expect(unavailable.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  return unavailable;
}
