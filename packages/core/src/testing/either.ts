// Test helpers: unwrap an Either or fail the test with the API's own message.
import * as E from 'fp-ts/lib/Either.js';
import type { ApiError } from '../api/errors.js';

/** The success value, or throw naming the API error. */
export const right = <T>(result: E.Either<ApiError, T>): T => {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.reason}: ${result.left.message}`);
  return result.right;
};

/** The API error, or throw if the call succeeded. */
export const left = <T>(result: E.Either<ApiError, T>): ApiError => {
  if (E.isRight(result)) throw new Error('expected an error, got success');
  return result.left;
};
