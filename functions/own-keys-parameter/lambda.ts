import { randomBytes } from 'node:crypto';
import { putNewSecureParameter } from '../../shared/adapters/aws/new-secure-parameter.ts';
import { createOwnKeysParameterHandler } from './handler.ts';

/** The Lambda entry point (`infra/bundling.ts`): the custom resource's `onEvent`. */
export const handler = createOwnKeysParameterHandler({
  putNew: (name, value) => putNewSecureParameter({ clientConfig: {} }, name, value),
  randomBytes,
});
