import { BACKEND_CONFIGS } from '../../shared/backends/config-registry.ts';
import { type AccountProbe, ProbeReport } from '../../shared/backends/probe/probe-report.ts';
import type { AccountConfig, CallhookConfig } from '../../shared/config/schema.ts';
import { type Check, failed, note, ok } from './check.ts';
import type { ProbeInvocation } from './ports.ts';

const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** Where the Call API's own docs put the whitelist ("Администратор → Аккаунт → …"). */
const WHITELIST_PAGE = 'Account → Rules and security settings → API';

const whitelistFix = (probe: AccountProbe): string =>
  (probe.whitelist ?? []).length > 0
    ? `whitelist ${list(probe.whitelist ?? [])} in the ${probe.provider} client area (${WHITELIST_PAGE})`
    : `whitelist the NAT's Elastic IP (the allocations in eipAllocationIds) in the ${probe.provider} client area (${WHITELIST_PAGE})`;

const failureFix = (probe: AccountProbe, secret: string): string => {
  switch (probe.error) {
    case 'secret_missing':
    case 'secret_invalid':
      return `put the account's credentials in ${secret} (see its secret check)`;
    case 'component_disabled':
      return `enable the component in the ${probe.provider} client area: callhook looks for calls whose outcome was lost with list.calls`;
    case 'limit_exceeded':
      return `wait for the points to reset, or raise the limit in the ${probe.provider} client area (Account → Tariffs and options)`;
    case 'unexpected_reply':
      return "check the account's provider or base_url: the address must be the backend's API";
    default:
      return `fix the account in the ${probe.provider} client area`;
  }
};

/** One account's probe result as a check, with what to do about a refusal. */
const accountCheck = (
  secretId: string,
  putCommand: (value: string) => string,
  backend: AccountConfig['backend'],
  probe: AccountProbe,
  egressIps: string[],
  fixedAddress: boolean,
): Check => {
  const subject = `account ${probe.account} (${probe.provider})`;
  const named = probe.error === undefined ? probe.detail : `${probe.error}: ${probe.detail}`;
  switch (probe.status) {
    case 'ok':
      return ok(
        subject,
        fixedAddress
          ? `reached from the VPC and authenticated: ${probe.detail}`
          : `accepts calls without a whitelisted address (reached from outside a VPC and authenticated): ${probe.detail}`,
      );
    case 'ip_not_whitelisted': {
      if (!fixedAddress) {
        return failed(
          subject,
          `accepts calls only from whitelisted addresses, and this deployment has none (egress: none): ${named}`,
          `turn off the account's IP restriction in the ${probe.provider} client area (${WHITELIST_PAGE}), or deploy with -c callhook:egress=nat-instance and whitelist its Elastic IP`,
        );
      }
      const stray =
        probe.seen_ip !== undefined && egressIps.length > 0 && !egressIps.includes(probe.seen_ip)
          ? ` (the provider saw ${probe.seen_ip}, which is not an egress IP of the stack)`
          : '';
      return failed(subject, `${named}${stray}`, whitelistFix(probe));
    }
    case 'auth_failed':
      return failed(
        subject,
        `the credentials were refused: ${named}`,
        `issue a new key or token in the ${probe.provider} client area, then: ${putCommand(BACKEND_CONFIGS[backend].credentialsExample)}`,
      );
    case 'unreachable':
      return failed(
        subject,
        `no answer from inside the VPC: ${named}`,
        "check the account's provider or base_url, and that the private subnets reach the internet through the NAT",
      );
    case 'failed':
      return failed(subject, named, failureFix(probe, secretId));
  }
};

/**
 * The probe's answer as checks: one per account of the config, in the config's order. The probe
 * carries the config compiled in at the last deploy, so an account it does not know means the
 * config changed since.
 */
export const probeChecks = ({
  config,
  configFile,
  invocation,
  egressIps,
  fixedAddress = true,
  secretIdOf,
  putCommandOf,
}: {
  config: CallhookConfig;
  configFile: string;
  invocation: ProbeInvocation;
  egressIps: string[];
  /** False for `egress: none`: the probe ran outside a VPC, from no fixed address. */
  fixedAddress?: boolean;
  /** Where a secret the config names is kept: its secret's or parameter's name, staged. */
  secretIdOf: (name: string) => string;
  /** The command that puts `value` there (`put-secret-value`, or `put-parameter`). */
  putCommandOf: (name: string, value: string) => string;
}): Check[] => {
  if (!invocation.ok) {
    return [
      failed(
        'probe',
        `the function failed: ${invocation.error}: ${invocation.message}`,
        "read the probe function's log group in CloudWatch",
      ),
    ];
  }
  const report = ProbeReport.safeParse(invocation.payload);
  if (!report.success) {
    return [
      failed(
        'probe',
        'answered in a form this doctor does not read',
        'deploy this version of callhook (npx cdk deploy --all)',
      ),
    ];
  }
  const checks: Check[] = [];
  const probed = new Map(report.data.accounts.map((probe) => [probe.account, probe]));
  for (const [name, account] of Object.entries(config.accounts)) {
    const probe = probed.get(name);
    checks.push(
      probe === undefined
        ? failed(
            `account ${name}`,
            `the deployed probe does not know it: ${configFile} changed since the last deploy`,
            `deploy it: npx cdk deploy --all -c callhook:config=${configFile}`,
          )
        : accountCheck(
            secretIdOf(account.secret),
            (value) => putCommandOf(account.secret, value),
            account.backend,
            probe,
            egressIps,
            fixedAddress,
          ),
    );
  }
  for (const probe of report.data.accounts) {
    if (config.accounts[probe.account] === undefined) {
      checks.push(
        note(
          `account ${probe.account}`,
          `deployed but not in ${configFile}: deploy ${configFile} to remove it`,
        ),
      );
    }
  }
  return checks;
};
