import { ProblemError } from '../http/problem-error.ts';
import type { RawRequest } from '../http/raw-request.ts';
import { constantTimeEqual } from './constant-time.ts';

export interface TokenVerifierSettings {
  header: string;
  query: string;
}

/**
 * For senders that cannot sign (site builders, form tools): a shared token in a header or in the
 * query string. Kept apart from the `token` scheme, which carries the config schema, since the
 * provider notifications (`events/`) check their token with it too.
 */
export const verifyToken = (
  request: RawRequest,
  settings: TokenVerifierSettings,
  expectedToken: string,
): void => {
  const given = request.headers[settings.header.toLowerCase()] ?? request.query[settings.query];
  if (given === undefined || given === '') {
    throw new ProblemError(
      'unauthorized',
      `Send the route's token in the ${settings.header} header or the "${settings.query}" query parameter.`,
    );
  }
  if (!constantTimeEqual(given, expectedToken)) {
    throw new ProblemError('invalid_signature', 'The token is wrong.');
  }
};
