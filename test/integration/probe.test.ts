import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDeps } from '../../functions/probe/deps.ts';
import { createProbeHandler } from '../../functions/probe/handler.ts';
import {
  type RunningJaicpSimulator,
  startJaicpSimulator,
} from '../../infra/local/jaicp-simulator/jaicp-simulator.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';
import type { AccountProbe, ProbeReport } from '../../shared/backends/probe/probe-report.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { SecretNotFoundError, type SecretStore } from '../../shared/secrets/secrets.ts';

const VIRTUAL = '74993720692';
/** A documentation address (RFC 5737) standing for the stack's Elastic IP. */
const EGRESS_IP = '203.0.113.7';

/** Every token the tests use; the probe's answer must hold none of them. */
const SECRETS: Record<string, string> = {
  'probe/good-key': JSON.stringify({ access_token: 'key-valid-4711' }),
  'probe/expired-key': JSON.stringify({ access_token: 'key-expired-4712' }),
  'probe/unknown-key': JSON.stringify({ access_token: 'key-unknown-4713' }),
  'probe/wrong-login': JSON.stringify({ login: 'ops-4714', password: 'wrong-password-4714' }),
  'probe/malformed': 'not json',
  'probe/campaign': 'campaign-token-4715',
  'probe/unknown-campaign': 'campaign-token-4716',
};

const secrets: SecretStore = {
  get: async (name) => {
    const value = SECRETS[name];
    if (value === undefined) throw new SecretNotFoundError(name);
    return value;
  },
};

describe('The probe function (against the simulators, over HTTP)', () => {
  let whitelisting: RunningSimulator;
  let elsewhere: RunningSimulator;
  let silent: RunningSimulator;
  let jaicp: RunningJaicpSimulator;
  let closedUrl: string;
  let report: ProbeReport;

  const callapi = (baseUrl: string, secret: string) => ({
    base_url: baseUrl,
    secret,
    virtual_phone_number: VIRTUAL,
  });
  const probeOf = (account: string): AccountProbe => {
    const found = report.accounts.find((entry) => entry.account === account);
    if (found === undefined) throw new Error(`no result for ${account}`);
    return found;
  };

  beforeAll(async () => {
    const keys = {
      'key-valid-4711': 'valid',
      'key-expired-4712': 'expired',
    } as const;
    // The probe's requests come from 127.0.0.1: this account whitelists it, the other does not.
    whitelisting = await startSimulator({
      keys,
      logins: { 'ops-4714': 'right-password-4714' },
      virtualNumbers: [VIRTUAL],
      ipWhitelist: ['127.0.0.1'],
    });
    elsewhere = await startSimulator({
      keys,
      virtualNumbers: [VIRTUAL],
      ipWhitelist: ['198.51.100.1'],
    });
    // Holds every list.calls longer than the probe waits for a reply.
    silent = await startSimulator({ keys, virtualNumbers: [VIRTUAL] });
    silent.injectFault({ fault: { mode: 'delay', ms: 5_000 }, method: 'list.calls', times: 1 });
    jaicp = await startJaicpSimulator({ tokens: ['campaign-token-4715'] });
    const closed = await startSimulator({ keys: {}, virtualNumbers: [] });
    closedUrl = closed.url;
    await closed.close();

    const config = parseConfig(
      {
        accounts: {
          whitelisted: callapi(whitelisting.url, 'probe/good-key'),
          elsewhere: callapi(elsewhere.url, 'probe/good-key'),
          expired: callapi(whitelisting.url, 'probe/expired-key'),
          unknown: callapi(whitelisting.url, 'probe/unknown-key'),
          login: callapi(whitelisting.url, 'probe/wrong-login'),
          malformed: callapi(whitelisting.url, 'probe/malformed'),
          missing: callapi(whitelisting.url, 'probe/no-such-secret'),
          closed: callapi(closedUrl, 'probe/good-key'),
          silent: callapi(silent.url, 'probe/good-key'),
          campaign: { backend: 'jaicp', base_url: jaicp.url, secret: 'probe/campaign' },
          stranger: { backend: 'jaicp', base_url: jaicp.url, secret: 'probe/unknown-campaign' },
        },
        routes: {},
      },
      'probe test',
    );
    const handler = createProbeHandler(
      probeDeps({
        config,
        secrets,
        logger: createLogger,
        connection: { timeouts: { connectMs: 1_000, responseMs: 300 } },
        egressIps: [EGRESS_IP],
      }),
    );
    report = await handler({}, lambdaContext('probe'));
  });
  afterAll(async () => {
    await Promise.all([whitelisting.close(), elsewhere.close(), silent.close(), jaicp.close()]);
  });

  it('reports ok for a whitelisted account whose key is valid, and places no call', () => {
    expect(probeOf('whitelisted')).toMatchObject({
      status: 'ok',
      backend: 'callapi',
      provider: new URL(whitelisting.url).host,
    });
    expect(whitelisting.requestCount('list.calls')).toBeGreaterThan(0);
    // Nothing was called: the probe only reads.
    expect(whitelisting.calls()).toEqual([]);
  });

  it('reports ip_not_whitelisted, with the address the provider saw and the egress IPs to whitelist', () => {
    expect(probeOf('elsewhere')).toMatchObject({
      status: 'ip_not_whitelisted',
      error: 'ip_not_whitelisted',
      seen_ip: '127.0.0.1',
      whitelist: [EGRESS_IP],
      detail: 'Your IP 127.0.0.1 is not whitelisted',
    });
    expect(report.egress_ips).toEqual([EGRESS_IP]);
  });

  it("reports auth_failed with the Call API's mnemonic for an expired key, an unknown key and a wrong login", () => {
    expect(probeOf('expired')).toMatchObject({
      status: 'auth_failed',
      error: 'access_token_expired',
    });
    expect(probeOf('unknown')).toMatchObject({
      status: 'auth_failed',
      error: 'access_token_invalid',
    });
    expect(probeOf('login')).toMatchObject({ status: 'auth_failed', error: 'auth_error' });
  });

  it('reports unreachable for a closed port and for a reply that does not come in time', () => {
    expect(probeOf('closed')).toMatchObject({ status: 'unreachable' });
    expect(probeOf('closed').detail).toMatch(/ECONNREFUSED/);
    expect(probeOf('silent')).toMatchObject({
      status: 'unreachable',
      detail: 'no reply within 300 ms after sending',
    });
  });

  it('names a missing or malformed secret, as dispatch would', () => {
    expect(probeOf('missing')).toMatchObject({
      status: 'failed',
      error: 'secret_missing',
      detail: 'secret "probe/no-such-secret" does not exist',
    });
    expect(probeOf('malformed')).toMatchObject({ status: 'failed', error: 'secret_invalid' });
  });

  it('checks a JAICP campaign token with a report for no job, and names a refused one', () => {
    expect(probeOf('campaign')).toMatchObject({ status: 'ok', backend: 'jaicp' });
    expect(probeOf('stranger')).toMatchObject({ status: 'auth_failed', error: 'http_404' });
    expect(jaicp.jobs()).toEqual([]);
  });

  it('answers one result per account and never a secret value', () => {
    expect(report.accounts.map((entry) => entry.account).sort()).toEqual(
      [
        'campaign',
        'closed',
        'elsewhere',
        'expired',
        'login',
        'malformed',
        'missing',
        'silent',
        'stranger',
        'unknown',
        'whitelisted',
      ].sort(),
    );
    const text = JSON.stringify(report);
    for (const value of Object.values(SECRETS)) {
      for (const token of [value, ...tokensOf(value)]) expect(text).not.toContain(token);
    }
  });
});

/** The credential strings inside a secret's text (the text itself when it is not JSON). */
const tokensOf = (value: string): string[] => {
  try {
    return Object.values(JSON.parse(value) as Record<string, string>);
  } catch {
    return [value];
  }
};
