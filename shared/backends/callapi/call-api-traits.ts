import type { SecretShape } from '../../secrets/secret-shapes.ts';
import type { BackendCapabilities } from '../call-backend.ts';

/*
 * What the Call API entry (`callapi.ts`) states and its backend and connection read too, apart
 * so that neither imports the entry that loads them.
 */

/** `{"access_token": …}` or `{"login": …, "password": …}`, as JSON. */
export const CALL_API_SECRET_SHAPE: SecretShape = 'callapi-credentials';

/**
 * A request sent again after an unknown outcome could be a second call, and callhook applies
 * the calling window itself.
 */
export const CALL_API_CAPABILITIES: BackendCapabilities = {
  idempotent: false,
  ownsCallingWindow: false,
};
