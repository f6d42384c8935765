import * as z from 'zod';

/** The name of a secret: a key in Secrets Manager on AWS, in the local secrets file locally. */
export const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9/_+=.@-]{1,256}$/, 'a secret name (letters, digits and /_+=.@-)');
