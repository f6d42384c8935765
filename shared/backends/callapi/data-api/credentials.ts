import * as z from '../../../validation/zod.ts';

/**
 * What a Data API secret holds: a key the client area issues per user ("Account → Users"), apart
 * from any Call API key. Only a key: a login's sessions would need `login.user` on the Data API
 * too, and a permanent or dated key is what its docs advise for a service.
 */
export const DataApiCredentials = z.strictObject({
  access_token: z.string().check(z.minLength(1)),
});
export type DataApiCredentials = z.infer<typeof DataApiCredentials>;
