import * as z from 'zod';
import { ExpressionSource } from '../../routes/expression-source.ts';
import { SecretName } from '../../secrets/secret-name.ts';
import type { BackendConfig } from '../backend-config.ts';
import type { JaicpRequest } from './jaicp-request.ts';

const JaicpAccount = z
  .strictObject({
    backend: z.literal('jaicp'),
    provider: z
      .literal('simulator')
      .optional()
      .describe("The local runtime's built-in JAICP simulator."),
    base_url: z
      .url({ protocol: /^https?$/ })
      .default('https://app.jaicp.com')
      .describe('The JAICP host: app.jaicp.com or a self-hosted one.'),
    secret: SecretName.describe("Secret holding the call campaign's API token."),
  })
  .describe('A JAICP call campaign: a voice bot makes the calls.');

export type JaicpAccountConfig = z.output<typeof JaicpAccount>;

const JaicpCall = z.strictObject({
  method: z.literal('jaicp.addPhones'),
  contact: ExpressionSource.describe('JSONata giving the phone to call, e.g. "phone".'),
  payload: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), ExpressionSource)
    .optional()
    .describe('Variables for the bot script: name → JSONata over the webhook payload.'),
  params: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(20).optional(),
      retryIntervalInMinutes: z.number().int().min(1).optional(),
      dialerPriority: z.number().int().optional(),
    })
    .default({})
    .describe("JAICP's own retry policy for the call job."),
});

/** A JAICP call campaign, as the config file gives its accounts. */
export const JAICP_CONFIG: BackendConfig<typeof JaicpAccount, typeof JaicpCall, JaicpRequest> = {
  label: 'a JAICP campaign',
  account: JaicpAccount,
  calls: [JaicpCall],
  accountIssues: () => [],
  redialProblem: () => 'a JAICP campaign redials by itself: set call.params.maxAttempts instead',
  // The job's report gives its result (`job-status.ts`).
  resultProblem: () => undefined,
  credentialsExample: "<the campaign's API token>",
  secrets: (account) => [
    { name: account.secret, field: 'secret', shape: 'token', readBy: 'calls' },
  ],
};
