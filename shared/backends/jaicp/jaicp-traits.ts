import type { SecretShape } from '../../secrets/secret-shapes.ts';
import type { BackendCapabilities } from '../call-backend.ts';

/*
 * What the JAICP entry (`jaicp.ts`) states and its backend and prober read too, apart so that
 * neither imports the entry that loads them.
 */

/** The one method: a call job added to the campaign. */
export const JAICP_METHODS = ['jaicp.addPhones'] as const;

/** The campaign's API token, as plain text. */
export const JAICP_SECRET_SHAPE: SecretShape = 'token';

/** A job is added under an idempotence key, and the campaign applies the calling window. */
export const JAICP_CAPABILITIES: BackendCapabilities = {
  idempotent: true,
  ownsCallingWindow: true,
};
