import * as z from 'zod';
import { ExpressionSource } from '../../routes/expression-source.ts';
import { SecretName } from '../../secrets/secret-name.ts';
import * as mini from '../../validation/zod.ts';
import type { AccountSecret, BackendConfig } from '../backend-config.ts';
import {
  type CallApiRequest,
  E164Digits,
  InformerCallParams,
  Message,
  SimpleCallParams,
} from './api/call-params.ts';
import { PROVIDER_HOSTS } from './api/providers.ts';

const CallApiAccount = z.strictObject({
  backend: z.literal('callapi').default('callapi'),
  provider: z
    .enum([...(Object.keys(PROVIDER_HOSTS) as (keyof typeof PROVIDER_HOSTS)[]), 'simulator'])
    .optional()
    .describe('A provider preset; "simulator" is the local runtime\'s built-in Call API.'),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Overrides the preset host.'),
  api_version: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v4.0'),
  secret: SecretName.describe(
    'Secret holding {"access_token": "..."} (a permanent key) or {"login": "...", "password": "..."} (sessions).',
  ),
  // The Call API's own schemas use Zod Mini (see validation/zod.ts), hence `mini` around them.
  virtual_phone_number: E164Digits.check(
    mini.describe('The caller id: a virtual number the account rents.'),
  ),
  events_secret: SecretName.optional().describe(
    'Secret holding the token the provider sends with its notifications to POST /events/{account}.',
  ),
  points_per_call: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe("What one call request costs in Call API points (the tariff's method weight)."),
  data_api: z
    .strictObject({
      secret: SecretName.describe(
        'Secret holding {"access_token": "..."}: a Data API key, issued apart from the Call API key.',
      ),
      base_url: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe("Overrides the provider's Data API host (required with the account's base_url)."),
    })
    .optional()
    .describe(
      'The Data API of the same account: the sweeper reads how each call ended (get.calls_report, get.call_legs_report), which redials need.',
    ),
});

export type CallApiAccountConfig = z.output<typeof CallApiAccount>;

const MessageTemplate = z.strictObject({
  type: Message.shape.type,
  value: ExpressionSource.describe('JSONata building the text (tts) or media id from the payload.'),
});

const contact = ExpressionSource.describe('JSONata giving the phone to call, e.g. "phone".');

/** What the route leaves to the account, or builds from the payload, of a method's params. */
const FROM_ACCOUNT_OR_PAYLOAD = {
  contact: true,
  contact_message: true,
  external_id: true,
  virtual_phone_number: true,
} as const;

const SimpleCall = z.strictObject({
  method: z.literal('start.simple_call'),
  contact,
  contact_message: MessageTemplate.optional(),
  params: mini.extend(mini.omit(SimpleCallParams, FROM_ACCOUNT_OR_PAYLOAD), {
    virtual_phone_number: mini.optional(E164Digits),
  }),
});

const InformerCall = z.strictObject({
  method: z.literal('start.informer_call'),
  contact,
  contact_message: MessageTemplate,
  params: mini._default(
    mini.extend(mini.omit(InformerCallParams, FROM_ACCOUNT_OR_PAYLOAD), {
      virtual_phone_number: mini.optional(E164Digits),
    }),
    {},
  ),
});

/** Notifications seldom say why a call ended; only the Data API's report does. */
const callApiResultProblem = (
  account: { data_api?: unknown },
  accountName: string,
): string | undefined =>
  account.data_api === undefined
    ? `only the Data API says how a call ended: give account "${accountName}" a "data_api"`
    : undefined;

/** The Call API (CallGear, UIS, CoMagic, Novofon), as the config file gives its accounts. */
export const CALL_API_CONFIG: BackendConfig<
  typeof CallApiAccount,
  typeof SimpleCall | typeof InformerCall,
  CallApiRequest
> = {
  label: 'a Call API account',
  account: CallApiAccount,
  calls: [SimpleCall, InformerCall],

  accountIssues: (account) => [
    ...(account.provider === undefined && account.base_url === undefined
      ? [
          {
            path: [],
            message: 'set "provider" (callgear, uis, comagic, novofon, simulator) or "base_url"',
          },
        ]
      : []),
    ...(account.data_api !== undefined &&
    account.data_api.base_url === undefined &&
    account.provider === undefined
      ? [
          {
            path: ['data_api', 'base_url'],
            message:
              'the Data API host cannot be told from the Call API\'s "base_url": set it here',
          },
        ]
      : []),
  ],

  redialProblem: (account, accountName) => callApiResultProblem(account, accountName),
  resultProblem: (account, accountName) => callApiResultProblem(account, accountName),

  credentialsExample: '{"access_token": "<the Call API key>"}',

  secrets: (account) => {
    const secrets: AccountSecret[] = [
      { name: account.secret, field: 'secret', shape: 'callapi-credentials', readBy: 'calls' },
    ];
    if (account.data_api !== undefined) {
      secrets.push({
        name: account.data_api.secret,
        field: 'data_api.secret',
        shape: 'dataapi-key',
        readBy: 'reports',
      });
    }
    if (account.events_secret !== undefined) {
      secrets.push({
        name: account.events_secret,
        field: 'events_secret',
        shape: 'token',
        readBy: 'events',
      });
    }
    return secrets;
  },
};
