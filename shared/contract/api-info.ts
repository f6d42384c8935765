/**
 * The description's head: what the API is, its tags and how its callers authenticate. The
 * operations (shared/contract/paths/) name a tag and a security scheme only from these, so a
 * typo does not compile.
 */

export const API_INFO = {
  title: 'callhook',
  summary: 'Turns inbound webhooks into phone calls through a provider’s Call API.',
  description:
    'The public HTTP contract of callhook: webhook intake, the admin endpoints on calls, the provider’s notifications, and the health check. docs/http-contract.md tells the same story in prose (how a webhook is read and authenticated, one event one call, the life of a call). Every refusal is `application/problem+json` (RFC 9457) with a stable `code` from one catalogue. On AWS, API Gateway itself may answer before callhook does: `429 {"message": "Too Many Requests"}` when the stage’s throttle is exceeded, `413` for a body over 10 MiB, `404 {"message": "Not Found"}` for a path no route matches, and `500 {"message": "Internal Server Error"}` when a function fails outright; those answers are API Gateway’s, not this contract’s.',
  license: { name: 'MIT', identifier: 'MIT' },
} as const;

export const API_TAGS = [
  { name: 'hooks', description: 'Webhooks that become phone calls.' },
  {
    name: 'calls',
    description: 'What became of each call, and an operator’s actions (admin key).',
  },
  { name: 'events', description: 'The provider’s HTTP notifications about the calls it placed.' },
  { name: 'console', description: 'The web console’s static files.' },
  {
    name: 'widget',
    description:
      'The “call me back” widget for a shop’s own site, and its routes’ public form settings.',
  },
  { name: 'meta', description: 'Health and this description.' },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];

export const SECURITY_SCHEMES = {
  adminKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'The admin key (one of the keys in the `callhook/keys` secret on AWS).',
  },
  hookToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Callhook-Token',
    description:
      'The route’s shared token, on `token` routes. Signing senders authenticate with their own signature headers instead (Shopify, WooCommerce, Stripe, Typeform, Standard Webhooks, generic HMAC), and `none` routes not at all.',
  },
  hookTokenQuery: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'The route’s shared token as `?token=`, for senders that cannot set a header.',
  },
  eventsToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Callhook-Token',
    description: 'The account’s events token (its `events_secret`).',
  },
  eventsTokenQuery: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'The account’s events token as `?token=`.',
  },
} as const;

/** One way to be let in: every scheme it names at once (`{}`: none needed). */
export type SecurityRequirement = Partial<Record<keyof typeof SECURITY_SCHEMES, readonly []>>;
