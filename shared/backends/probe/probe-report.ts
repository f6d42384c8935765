import * as z from '../../validation/zod.ts';

/**
 * What one authenticated request from inside the VPC showed about an account:
 * - `ok`: the backend answered it;
 * - `ip_not_whitelisted`: the provider refused the address the request came from;
 * - `auth_failed`: it refused the credentials (a key expired, blocked or unknown, a wrong login,
 *   a campaign token it does not know);
 * - `unreachable`: no answer at all (DNS, TCP, TLS, or a timeout);
 * - `failed`: any other refusal, named in `error` (a disabled component, a spent points budget,
 *   a missing or malformed secret, a reply that is not the backend's).
 */
export const PROBE_STATUSES = [
  'ok',
  'ip_not_whitelisted',
  'auth_failed',
  'unreachable',
  'failed',
] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

/** One account's result. It names secrets and addresses, never a secret's value. */
export const AccountProbe = z.object({
  account: z.string(),
  backend: z.string(),
  /** Who runs the account, as its operator knows it: "UIS", "JAICP", or the base URL's host. */
  provider: z.string(),
  status: z.enum(PROBE_STATUSES),
  /** What the request showed, in words (the provider's own message where it gave one). */
  detail: z.string(),
  /** The provider's mnemonic, or callhook's name for the failure. */
  error: z.optional(z.string()),
  /** The address the provider saw the request come from, when it named one. */
  seen_ip: z.optional(z.string()),
  /** The addresses to whitelist: the stack's egress IPs, or the one seen when those are unknown. */
  whitelist: z.optional(z.array(z.string())),
});
export type AccountProbe = z.infer<typeof AccountProbe>;

/** What the probe function answers: one entry per account of the config compiled into it. */
export const ProbeReport = z.object({
  /** The stack's Elastic IPs the function leaves through, when the stack created them. */
  egress_ips: z.array(z.string()),
  accounts: z.array(AccountProbe),
});
export type ProbeReport = z.infer<typeof ProbeReport>;

/** What a backend's probe found, before the account's name and the egress IPs are added. */
export type ProbeOutcome = Pick<AccountProbe, 'status' | 'detail' | 'error' | 'seen_ip'>;
