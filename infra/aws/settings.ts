import * as z from 'zod';
import { SECRET_STORES } from '../../shared/secrets/secret-stores.ts';
import { DeploymentRefused } from './refusal.ts';
import { MAX_STAGE_LENGTH, STAGE_PATTERN } from './stage-names.ts';

/**
 * A yes/no setting: `-c callhook:<name>=false` arrives as the string "false", cdk.json as a
 * boolean. Only these four are read; anything else is refused, because `z.coerce.boolean` would
 * read every non-empty string, "false" included, as true.
 */
const ContextBoolean = z.union(
  [z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')],
  { error: 'expected true or false (or the strings "true" or "false")' },
);

/**
 * What a deployment may change without touching code, read from the CDK context (`cdk.json`,
 * or `-c callhook:<name>=<value>` on the command line).
 */
export const DeploySettings = z.strictObject({
  /** The callhook config file this deployment serves. */
  config: z.string().min(1).default('callhook.config.json'),
  /**
   * Prefixes every name the deployment has (`stage-names.ts`), so stages share an account and
   * region. None: today's names.
   */
  stage: z
    .string()
    .max(MAX_STAGE_LENGTH, { error: `expected at most ${MAX_STAGE_LENGTH} characters` })
    .regex(STAGE_PATTERN, {
      error:
        'expected lowercase letters and digits, starting with a letter, with single hyphens between them',
    })
    .optional(),
  /**
   * How the functions that call the provider reach it: from a VPC through managed NAT gateways,
   * or one small EC2 instance each (`t4g.nano`), on the same Elastic IPs; or `none`: no VPC, no
   * NAT, no fixed address, every function outside a VPC, for a provider that needs no
   * whitelisted address (JAICP, or a Call API account whose IP restriction is off).
   */
  egress: z.enum(['nat-gateway', 'nat-instance', 'none']).default('nat-gateway'),
  /** NAT gateways (or instances): 1 for cost; one per availability zone (2) for availability. */
  natGateways: z.coerce.number().int().min(1).max(2).default(1),
  /** Existing Elastic IP allocation ids for the NAT gateways, so whitelisted IPs survive. */
  eipAllocationIds: z
    .union([z.array(z.string().regex(/^eipalloc-[0-9a-f]+$/)), z.string()])
    .transform((value) =>
      typeof value === 'string' ? value.split(',').filter((id) => id !== '') : value,
    )
    .default([]),
  throttleRateLimit: z.coerce.number().int().min(1).default(50),
  throttleBurstLimit: z.coerce.number().int().min(1).default(100),
  /** Concurrent dispatchers at most: also how hard a burst can hit the provider. */
  dispatchMaxConcurrency: z.coerce.number().int().min(2).max(1000).default(5),
  logRetentionDays: z.coerce.number().int().min(1).default(30),
  /**
   * Where the secrets the config names are kept: a Secrets Manager secret each ($0.40 a month),
   * or SSM Parameter Store `SecureString` parameters the operator puts (standard tier, nothing at
   * rest), where `callhook/keys` is then a parameter too, which the stack generates.
   */
  secretStore: z.enum(SECRET_STORES).default('secrets-manager'),
  /** Use secrets that exist already (by the names in the config) instead of creating them. */
  importSecrets: ContextBoolean.default(false),
  /**
   * Keeps `callhook/admin-key` and `callhook/contact-hash-key`, where the keys lived before
   * `callhook/keys`, in the stateful stack (and their exports, which the stateless stack of
   * before reads): for the first deploy of the upgrade only (CHANGELOG, Unreleased).
   */
  keepOldKeySecrets: ContextBoolean.default(false),
  /** Subscribed (by e-mail, confirmed from a link SNS sends) to the topic every alarm notifies. */
  alarmEmail: z.email({ error: 'expected an e-mail address' }).optional(),
  /** The CloudWatch dashboard ($3 a month beyond the free tier's 3); `false` for none. */
  dashboard: ContextBoolean.default(true),
  /**
   * The alarm on skips above their usual rate (an anomaly-detection alarm, billed as three alarm
   * metrics: $0.30 a month beyond the free tier's 10); `false` for none.
   */
  anomalyAlarm: ContextBoolean.default(true),
  /**
   * AWS WAF in front of the browser routes (`auth.type: "browser"`) and the widget: they move to
   * a REST API of their own (AWS WAF cannot guard an HTTP API) with a regional web ACL ($5 a
   * month, $1 a rule, $0.60 a million requests); `false` for none.
   */
  waf: ContextBoolean.default(false),
  /**
   * The web ACL's rate-based rule: requests to the browser routes from one address in 5 minutes
   * beyond which it blocks that address (AWS WAF's lowest is 10).
   */
  wafRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(100),
  /** Also block VPNs, proxies, Tor and hosting providers (AWS's anonymous IP list). */
  wafAnonymousIpList: ContextBoolean.default(false),
});
export type DeploySettings = z.infer<typeof DeploySettings>;

const PREFIX = 'callhook:';

/** Reads the `callhook:*` keys of the CDK context. */
export const settingsFromContext = (context: (key: string) => unknown): DeploySettings => {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(DeploySettings.shape)) {
    const value = context(`${PREFIX}${key}`);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = DeploySettings.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${PREFIX}${i.path.join('.')}: ${i.message}`);
    throw new DeploymentRefused(`invalid deployment settings:\n  ${problems.join('\n  ')}`);
  }
  if (parsed.data.eipAllocationIds.length > 0) {
    if (parsed.data.eipAllocationIds.length !== parsed.data.natGateways) {
      throw new DeploymentRefused(
        `${PREFIX}eipAllocationIds names ${parsed.data.eipAllocationIds.length} allocation(s) for ${parsed.data.natGateways} NAT gateway(s)`,
      );
    }
  }
  return parsed.data;
};
