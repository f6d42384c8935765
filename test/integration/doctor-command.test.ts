import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStandIn, startAwsStandIn } from '../support/aws-stand-in.ts';
import { startMotoOrSkip } from '../support/moto-server.ts';
import { runToExit } from '../support/spawn-main.ts';

const PROBE = 'CallhookStateless-probeFunction1A2B3C';
const VALUES = {
  key: JSON.stringify({ access_token: 'uis-key-5b1f' }),
  shopify: 'shpss_0123456789abcdef',
  tilda: 'tilda-token-77aa',
  keys: JSON.stringify({
    generated: 'Gen3ratedAdminKey0123456789abcdeGen3ratedHashKey0123456789abcdef',
  }),
  placeholder: 'Gen3rated!tilda#placeholder$012',
};

interface DeploySecret {
  /** 1: the value the deploy generated; 2: a value put over it. */
  versions: 1 | 2;
  value: string;
}

const probeAnswer = (account: Record<string, unknown>) =>
  JSON.stringify({
    egress_ips: ['203.0.113.7'],
    accounts: [{ account: 'main', backend: 'callapi', provider: 'UIS', ...account }],
  });

/** A deploy in which everything is in order; each test changes what it checks. */
const healthy = (): { secrets: Record<string, DeploySecret>; probe: string } => ({
  secrets: {
    'callhook/uis-access-key': { versions: 2, value: VALUES.key },
    'callhook/shopify': { versions: 2, value: VALUES.shopify },
    'callhook/tilda-token': { versions: 2, value: VALUES.tilda },
    'callhook/keys': { versions: 1, value: VALUES.keys },
  },
  probe: probeAnswer({ status: 'ok', detail: 'list.calls answered (0 active call(s))' }),
});

const aws = await startMotoOrSkip(
  'doctor-command',
  'the runs that read secrets and invoke the probe',
);

/**
 * The command in a child process: its Secrets Manager and Lambda clients against moto, its
 * CloudFormation client against the stand-in (`AWS_ENDPOINT_URL_CLOUDFORMATION`), which also
 * stands for the deployed API.
 */
describe('npm run doctor (the command, its AWS SDK clients pointed at moto and a stand-in)', () => {
  let dir: string;
  let configFile: string;
  let standIn: RunningStandIn;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callhook-doctor-'));
    configFile = join(dir, 'callhook.prod.json');
    await writeFile(
      configFile,
      JSON.stringify({
        accounts: {
          main: {
            provider: 'uis',
            secret: 'callhook/uis-access-key',
            virtual_phone_number: '74993720692',
          },
        },
        routes: {
          shop: {
            preset: 'shopify-orders-create',
            account: 'main',
            auth: { secret: 'callhook/shopify' },
          },
          callback: {
            preset: 'tilda-form',
            account: 'main',
            auth: { secret: 'callhook/tilda-token' },
            call: { params: { operator: '74951234567' } },
          },
        },
      }),
    );
    standIn = await startAwsStandIn({ stacks: {} });
  });
  afterAll(async () => {
    await aws?.close();
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The deploy in moto (its secrets, the probe and its next answer) and its stacks. */
  const deploy = async ({ secrets, probe }: ReturnType<typeof healthy>) => {
    if (aws === undefined) throw new Error('no moto');
    await aws.reset();
    const client = new SecretsManagerClient(aws.clientConfig);
    const created: string[] = [];
    for (const [name, { versions, value }] of Object.entries(secrets)) {
      const { ARN } = await client.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: versions === 1 ? value : VALUES.placeholder,
        }),
      );
      if (versions === 2) {
        await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
      }
      if (ARN !== undefined) created.push(ARN);
    }
    client.destroy();
    await aws.createFunction(PROBE);
    await aws.queueLambdaResults([probe]);
    standIn.state.stacks = {
      CallhookStateful: { status: 'CREATE_COMPLETE', outputs: {}, secretArns: created },
      CallhookStateless: {
        status: 'CREATE_COMPLETE',
        outputs: { ApiUrl: standIn.url, EgressIp1: '203.0.113.7', ProbeFunctionName: PROBE },
      },
    };
  };

  /** The operator's environment: credentials and a region, and no shared AWS config files. */
  const doctor = (env: Record<string, string | undefined> = {}) => {
    const { AWS_PROFILE: _profile, ...inherited } = process.env;
    return runToExit(
      spawn(process.execPath, ['--import', 'tsx', 'infra/doctor/main.ts', '--config', configFile], {
        env: {
          ...inherited,
          HOME: dir,
          AWS_CONFIG_FILE: join(dir, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
          AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
          AWS_SECRET_ACCESS_KEY: 'stand-in-secret',
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL: aws?.endpoint ?? standIn.url,
          AWS_ENDPOINT_URL_CLOUDFORMATION: standIn.url,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  };
  const expectNoSecretValue = (output: string) => {
    for (const value of [...Object.values(VALUES), 'uis-key-5b1f']) {
      expect(output).not.toContain(value);
    }
  };

  it.skipIf(aws === undefined)(
    'exits 0 when every check passes, and shows the egress IP and the API',
    async () => {
      await deploy(healthy());

      const { code, stdout, stderr } = await doctor();

      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain(`config ${configFile}`);
      expect(stdout).toContain('note    egress IPs: 203.0.113.7');
      expect(stdout).toContain(`ok      API: ${standIn.url} answers GET /health`);
      expect(stdout).toContain(
        'ok      account main (UIS): reached from the VPC and authenticated',
      );
      expect(stdout).toContain('All 8 checks passed.');
      expectNoSecretValue(stdout);
    },
  );

  it.skipIf(aws === undefined)(
    'exits 1 naming a placeholder, a missing and a malformed secret, and the IP to whitelist',
    async () => {
      const { secrets } = healthy();
      secrets['callhook/tilda-token'] = { versions: 1, value: VALUES.placeholder };
      delete secrets['callhook/shopify'];
      secrets['callhook/uis-access-key'] = { versions: 2, value: 'uis-key-5b1f' };
      await deploy({
        secrets,
        probe: probeAnswer({
          status: 'ip_not_whitelisted',
          error: 'ip_not_whitelisted',
          detail: 'Your IP 203.0.113.7 is not whitelisted',
          seen_ip: '203.0.113.7',
          whitelist: ['203.0.113.7'],
        }),
      });

      const { code, stdout } = await doctor();

      expect(code).toBe(1);
      const lines = stdout.split('\n');
      expect(lines).toContain(
        'FAILED  secret callhook/tilda-token: still holds the placeholder the deploy generated (routes.callback.auth.secret)',
      );
      expect(lines).toContain(
        'FAILED  secret callhook/shopify: does not exist (routes.shop.auth.secret)',
      );
      expect(lines).toContain(
        'FAILED  secret callhook/uis-access-key: must be JSON {"access_token": "..."} or {"login": "...", "password": "..."} (accounts.main.secret)',
      );
      expect(lines).toContain(
        '        fix: whitelist 203.0.113.7 in the UIS client area (Account → Rules and security settings → API)',
      );
      expect(stdout).toContain('4 of 8 checks failed.');
      expectNoSecretValue(stdout);
    },
  );

  it('exits 2 with one readable line, not a stack trace, when AWS cannot be asked', async () => {
    const { code, stdout, stderr } = await doctor({ AWS_REGION: undefined });

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^doctor: could not read the stacks: .*[Rr]egion/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
