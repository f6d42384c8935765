import { describe, expect, it } from 'vitest';
import { allPassed, type Check } from '../../infra/doctor/check.ts';
import { runDoctor } from '../../infra/doctor/doctor.ts';
import { doctorOptions } from '../../infra/doctor/options.ts';
import type {
  DoctorPorts,
  ParameterFacts,
  ProbeInvocation,
  SecretFacts,
  StackFacts,
} from '../../infra/doctor/ports.ts';
import { renderReport } from '../../infra/doctor/render.ts';
import type { AccountProbe } from '../../shared/backends/probe/probe-report.ts';
import { parseConfig } from '../../shared/config/load.ts';

const CONFIG = parseConfig(
  {
    accounts: {
      main: {
        provider: 'uis',
        secret: 'callhook/uis-access-key',
        virtual_phone_number: '74993720692',
      },
    },
    routes: {
      callback: {
        preset: 'tilda-form',
        account: 'main',
        auth: { secret: 'callhook/tilda-token' },
        call: { params: { operator: '74951234567' } },
      },
    },
  },
  'doctor test',
);

const arn = (name: string) =>
  `arn:aws:secretsmanager:eu-central-1:111122223333:secret:${name}-Ab12Cd`;
const KEY = JSON.stringify({ access_token: 'uis-key-5b1f' });
/** The keys secret as Secrets Manager generates it: 64 letters and digits. */
const GENERATED_KEYS = JSON.stringify({
  generated: 'Gen3ratedAdminKey0123456789abcdeGen3ratedHashKey0123456789abcdef',
});
const present = (name: string, value: string, versions = 2): SecretFacts => ({
  state: 'present',
  arn: arn(name),
  versions,
  value,
});

interface World {
  stacks: Record<string, StackFacts & { secretArns?: string[] }>;
  secrets: Record<string, SecretFacts>;
  parameters?: Record<string, ParameterFacts>;
  probe: ProbeInvocation;
  health?: number;
}

const okProbe = (overrides: Partial<AccountProbe> = {}): ProbeInvocation => ({
  ok: true,
  payload: {
    egress_ips: ['203.0.113.7'],
    accounts: [
      {
        account: 'main',
        backend: 'callapi',
        provider: 'UIS',
        status: 'ok',
        detail: 'list.calls answered (0 active call(s))',
        ...overrides,
      },
    ],
  },
});

/** A deploy in which everything is as it should be; each test breaks one thing. */
const healthy = (): World => ({
  stacks: {
    CallhookStateful: {
      status: 'CREATE_COMPLETE',
      outputs: {},
      secretArns: ['callhook/uis-access-key', 'callhook/tilda-token', 'callhook/keys'].map(arn),
    },
    CallhookStateless: {
      status: 'UPDATE_COMPLETE',
      outputs: {
        ApiUrl: 'https://abc123.execute-api.eu-central-1.amazonaws.com',
        EgressIp1: '203.0.113.7',
        ProbeFunctionName: 'CallhookStateless-probeFunction1A2B3C',
      },
    },
  },
  secrets: {
    'callhook/uis-access-key': present('callhook/uis-access-key', KEY),
    'callhook/tilda-token': present('callhook/tilda-token', 'tilda-token-77aa'),
    // The keys the stack generates keep their first (only) version.
    'callhook/keys': present('callhook/keys', GENERATED_KEYS, 1),
  },
  probe: okProbe(),
});

const portsOf = (world: World): DoctorPorts & { invoked: string[] } => {
  const invoked: string[] = [];
  return {
    invoked,
    stacks: {
      describe: async (name) => {
        const stack = world.stacks[name];
        return stack === undefined ? undefined : { status: stack.status, outputs: stack.outputs };
      },
      createdSecrets: async (name) => world.stacks[name]?.secretArns ?? [],
    },
    secrets: { read: async (name) => world.secrets[name] ?? { state: 'missing' } },
    parameters: { read: async (name) => world.parameters?.[name] ?? { state: 'missing' } },
    probe: {
      invoke: async (name) => {
        invoked.push(name);
        return world.probe;
      },
    },
    http: { get: async () => ({ status: world.health ?? 200, body: '{"status":"ok"}' }) },
  };
};

const doctor = async (
  world: World,
  stage?: string,
  secretStore?: 'secrets-manager' | 'parameter-store',
) => {
  const report = await runDoctor(portsOf(world), {
    config: CONFIG,
    configFile: 'callhook.prod.json',
    stage,
    secretStore,
  });
  return { report, text: renderReport(report, 'heading') };
};

const checkOf = (checks: Check[], subject: string): Check => {
  const found = checks.find((check) => check.subject === subject);
  if (found === undefined) throw new Error(`no check of ${subject}`);
  return found;
};

describe('runDoctor (on in-memory ports)', () => {
  it('passes a deploy whose stacks, secrets, API and accounts are all in order', async () => {
    const world = healthy();
    const ports = portsOf(world);

    const report = await runDoctor(ports, { config: CONFIG, configFile: 'callhook.prod.json' });
    const text = renderReport(report, 'heading');

    expect(allPassed(report.checks)).toBe(true);
    expect(report.checks.map((check) => check.subject)).toEqual([
      'stack CallhookStateful',
      'stack CallhookStateless',
      'egress IPs',
      'API',
      'secret callhook/keys',
      'secret callhook/tilda-token',
      'secret callhook/uis-access-key',
      'account main (UIS)',
    ]);
    expect(ports.invoked).toEqual(['CallhookStateless-probeFunction1A2B3C']);
    expect(text).toContain('203.0.113.7');
    expect(text).toContain(
      'https://abc123.execute-api.eu-central-1.amazonaws.com answers GET /health',
    );
    expect(text).toContain('All 7 checks passed.');
  });

  it('names a secret that still holds the placeholder the deploy generated', async () => {
    const world = healthy();
    world.secrets['callhook/tilda-token'] = present(
      'callhook/tilda-token',
      'Gen3rated!tilda#placeholder$012',
      1,
    );

    const { report, text } = await doctor(world);

    expect(allPassed(report.checks)).toBe(false);
    expect(checkOf(report.checks, 'secret callhook/tilda-token')).toEqual({
      subject: 'secret callhook/tilda-token',
      status: 'failed',
      detail: 'still holds the placeholder the deploy generated (routes.callback.auth.secret)',
      fix: "aws secretsmanager put-secret-value --secret-id callhook/tilda-token --secret-string '<the token>'",
    });
    expect(text).not.toContain('Gen3rated!tilda#placeholder$012');
    expect(text).toContain('1 of 7 checks failed.');
  });

  it('takes a secret the stack did not create (importSecrets) at its first version', async () => {
    const world = healthy();
    world.secrets['callhook/tilda-token'] = present('callhook/tilda-token', 'tilda-token-77aa', 1);
    world.stacks.CallhookStateful = { status: 'CREATE_COMPLETE', outputs: {}, secretArns: [] };

    const { report } = await doctor(world);

    expect(checkOf(report.checks, 'secret callhook/tilda-token').status).toBe('ok');
  });

  it('names a missing secret and where the config names it', async () => {
    const world = healthy();
    delete world.secrets['callhook/tilda-token'];

    const { report } = await doctor(world);

    const check = checkOf(report.checks, 'secret callhook/tilda-token');
    expect(check.status).toBe('failed');
    expect(check.detail).toBe('does not exist (routes.callback.auth.secret)');
  });

  it('names a malformed secret by the shape its reader needs, without its value', async () => {
    const world = healthy();
    world.secrets['callhook/uis-access-key'] = present('callhook/uis-access-key', 'uis-key-5b1f');

    const { report, text } = await doctor(world);

    expect(checkOf(report.checks, 'secret callhook/uis-access-key')).toMatchObject({
      status: 'failed',
      detail:
        'must be JSON {"access_token": "..."} or {"login": "...", "password": "..."} (accounts.main.secret)',
    });
    expect(text).not.toContain('uis-key-5b1f');
    expect(allPassed(report.checks)).toBe(false);
  });

  it('checks each key in the keys secret, and names the one that is wrong without its value', async () => {
    const world = healthy();
    // The admin key rotated by hand into a value with a line break; the hash key still generated.
    const keys = JSON.stringify({ ...JSON.parse(GENERATED_KEYS), admin_key: 'r0tated-key\n' });
    world.secrets['callhook/keys'] = present('callhook/keys', keys, 2);

    const { report, text } = await doctor(world);

    expect(checkOf(report.checks, 'secret callhook/keys')).toMatchObject({
      status: 'failed',
      detail:
        'holds a key "admin_key" that has spaces or line breaks around it (the admin key of /calls, the per-number cap\'s hash key)',
    });
    expect(text).not.toContain('r0tated-key');
    expect(text).not.toContain('Gen3rated');
  });

  it('says which address to whitelist where when the provider refused the egress IP', async () => {
    const world = healthy();
    world.probe = okProbe({
      status: 'ip_not_whitelisted',
      error: 'ip_not_whitelisted',
      detail: 'Your IP 203.0.113.7 is not whitelisted',
      seen_ip: '203.0.113.7',
      whitelist: ['203.0.113.7'],
    });

    const { report, text } = await doctor(world);

    expect(allPassed(report.checks)).toBe(false);
    expect(checkOf(report.checks, 'account main (UIS)')).toMatchObject({
      status: 'failed',
      detail: 'ip_not_whitelisted: Your IP 203.0.113.7 is not whitelisted',
    });
    expect(text).toContain(
      'fix: whitelist 203.0.113.7 in the UIS client area (Account → Rules and security settings → API)',
    );
  });

  /** A deployment with `egress: none`: no fixed address in its outputs. */
  const withoutFixedAddress = (world: World): World => {
    const stateless = Object.values(world.stacks).find((stack) => 'ApiUrl' in stack.outputs);
    if (stateless === undefined) throw new Error('no stateless stack in the world');
    stateless.outputs = Object.fromEntries(
      Object.entries({ ...stateless.outputs, Egress: 'none' }).filter(
        ([key]) => !key.startsWith('EgressIp'),
      ),
    );
    return world;
  };

  it('says plainly that the provider accepts calls without a whitelisted address (egress: none)', async () => {
    const { report } = await doctor(withoutFixedAddress(healthy()));

    expect(allPassed(report.checks)).toBe(true);
    expect(checkOf(report.checks, 'account main (UIS)').detail).toContain(
      'accepts calls without a whitelisted address',
    );
    expect(checkOf(report.checks, 'egress IPs').detail).toContain('none (egress: none)');
  });

  it('says plainly that the provider wants a whitelisted address, which egress: none has not', async () => {
    const world = withoutFixedAddress(healthy());
    world.probe = okProbe({
      status: 'ip_not_whitelisted',
      error: 'ip_not_whitelisted',
      detail: 'Your IP 198.51.100.9 is not whitelisted',
      seen_ip: '198.51.100.9',
      whitelist: ['198.51.100.9'],
    });

    const { report, text } = await doctor(world);

    expect(checkOf(report.checks, 'account main (UIS)')).toMatchObject({ status: 'failed' });
    expect(checkOf(report.checks, 'account main (UIS)').detail).toContain(
      'accepts calls only from whitelisted addresses, and this deployment has none',
    );
    expect(text).toContain('deploy with -c callhook:egress=nat-instance');
  });

  it('names the secret to renew when the credentials were refused', async () => {
    const world = healthy();
    world.probe = okProbe({
      status: 'auth_failed',
      error: 'access_token_expired',
      detail: 'the permanent access key was refused: Access token has been expired',
    });

    const { report } = await doctor(world);

    const check = checkOf(report.checks, 'account main (UIS)');
    expect(check.status).toBe('failed');
    expect(check.detail).toContain('access_token_expired');
    expect(check.fix).toContain('--secret-id callhook/uis-access-key');
  });

  it('fails an account the deployed probe does not know, and a probe that crashed', async () => {
    const world = healthy();
    world.probe = { ok: true, payload: { egress_ips: [], accounts: [] } };
    const unknown = await doctor(world);
    world.probe = { ok: false, error: 'Runtime.ImportModuleError', message: 'Cannot find module' };
    const crashed = await doctor(world);

    expect(checkOf(unknown.report.checks, 'account main')).toMatchObject({
      status: 'failed',
      fix: 'deploy it: npx cdk deploy --all -c callhook:config=callhook.prod.json',
    });
    expect(checkOf(crashed.report.checks, 'probe')).toMatchObject({
      status: 'failed',
      detail: 'the function failed: Runtime.ImportModuleError: Cannot find module',
    });
  });

  it('prints what the stacks and the probe answered as text: control characters escaped', async () => {
    // OSC 52 writes the clipboard; U+009B is an 8-bit CSI.
    const hostile = '\x1b]52;c;ZWNobyBwd25lZA==\x07\u009b2J\x1b[31m';
    const world = healthy();
    const stateless = world.stacks.CallhookStateless as StackFacts;
    stateless.outputs = {
      ...stateless.outputs,
      ApiUrl: `https://abc123.example${hostile}`,
      EgressIp1: `203.0.113.7${hostile}`,
    };
    world.probe = okProbe({ status: 'failed', error: `boom${hostile}`, detail: `d${hostile}` });
    const crashed = { ...world, probe: { ok: false, error: 'Error', message: `m${hostile}` } };

    const texts = [(await doctor(world)).text, (await doctor(crashed as World)).text];

    for (const text of texts) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are the point.
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
    expect(texts[0]).toContain('203.0.113.7\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\\u009b2J');
    expect(texts[0]).toContain('boom\\u001b]52');
    expect(texts[1]).toContain('the function failed: Error: m\\u001b]52');
  });

  it('fails a stack that does not exist and an API that does not answer 200', async () => {
    const world = healthy();
    delete world.stacks.CallhookStateless;
    world.health = 503;

    const { report } = await doctor(world);

    expect(checkOf(report.checks, 'stack CallhookStateless')).toMatchObject({
      status: 'failed',
      detail: 'does not exist in this account and region',
      fix: 'npx cdk deploy --all -c callhook:config=callhook.prod.json',
    });
    // Without the stack there are no outputs: no API URL and no probe to invoke.
    expect(checkOf(report.checks, 'API').status).toBe('failed');
    expect(checkOf(report.checks, 'probe').status).toBe('failed');
    expect(checkOf(report.checks, 'stack CallhookStateful').status).toBe('ok');
  });

  it("reads a stage's stacks and secrets under their staged names, and deploys with its stage", async () => {
    const world = healthy();
    const staged = <T>(record: Record<string, T>) =>
      Object.fromEntries(
        Object.entries(record).map(([name, value]) => [`staging--${name}`, value]),
      );
    const stagedWorld: World = {
      ...world,
      stacks: staged(world.stacks),
      secrets: staged(world.secrets),
    };
    // The created secrets' ARNs carry the stored (staged) names.
    stagedWorld.secrets['staging--callhook/tilda-token'] = {
      state: 'present',
      arn: 'arn:staged-tilda',
      versions: 1,
      value: 'Gen3rated!tilda#placeholder$012',
    };
    stagedWorld.stacks['staging--CallhookStateful'] = {
      status: 'CREATE_COMPLETE',
      outputs: {},
      secretArns: ['arn:staged-tilda'],
    };
    delete stagedWorld.stacks['staging--CallhookStateless'];

    const { report } = await doctor(stagedWorld, 'staging');

    expect(checkOf(report.checks, 'stack staging--CallhookStateful').status).toBe('ok');
    expect(checkOf(report.checks, 'stack staging--CallhookStateless').fix).toBe(
      'npx cdk deploy --all -c callhook:config=callhook.prod.json -c callhook:stage=staging',
    );
    expect(checkOf(report.checks, 'secret staging--callhook/uis-access-key').status).toBe('ok');
    expect(checkOf(report.checks, 'secret staging--callhook/tilda-token')).toMatchObject({
      status: 'failed',
      fix: "aws secretsmanager put-secret-value --secret-id staging--callhook/tilda-token --secret-string '<the token>'",
    });
  });

  it('fails a stack whose last update rolled back', async () => {
    const world = healthy();
    world.stacks.CallhookStateful = { status: 'UPDATE_ROLLBACK_COMPLETE', outputs: {} };

    const { report } = await doctor(world);

    expect(checkOf(report.checks, 'stack CallhookStateful')).toMatchObject({
      status: 'failed',
      detail: 'UPDATE_ROLLBACK_COMPLETE: its last deploy failed and was rolled back',
    });
  });
});

describe('runDoctor with the secrets in Parameter Store (secretStore=parameter-store)', () => {
  const secure = (value: string): ParameterFacts => ({
    state: 'present',
    type: 'SecureString',
    value,
  });
  /** As `healthy`, with the config's secrets as parameters and the stack saying so. */
  const inParameterStore = (): World => {
    const world = healthy();
    const stateless = world.stacks.CallhookStateless as StackFacts;
    stateless.outputs = { ...stateless.outputs, SecretStore: 'parameter-store' };
    world.stacks.CallhookStateful = {
      status: 'CREATE_COMPLETE',
      outputs: {},
      secretArns: [],
    };
    world.secrets = {};
    world.parameters = {
      '/callhook/keys': secure(GENERATED_KEYS),
      '/callhook/uis-access-key': secure(KEY),
      '/callhook/tilda-token': secure('tilda-token-77aa'),
    };
    return world;
  };

  it("checks the config's secrets and callhook/keys as parameters", async () => {
    const { report, text } = await doctor(inParameterStore());

    expect(allPassed(report.checks)).toBe(true);
    expect(report.checks.map((check) => check.subject).slice(4, 7)).toEqual([
      'parameter /callhook/keys',
      'parameter /callhook/tilda-token',
      'parameter /callhook/uis-access-key',
    ]);
    expect(checkOf(report.checks, 'parameter /callhook/uis-access-key').detail).toBe(
      'is a SecureString of the right shape (accounts.main.secret)',
    );
    expect(text).not.toContain('uis-key-5b1f');
    expect(text).not.toContain(JSON.parse(GENERATED_KEYS).generated.slice(0, 32));
  });

  it('fails a keys parameter that is missing (copy it before a move) or malformed, never printing a value', async () => {
    const world = inParameterStore();
    delete world.parameters?.['/callhook/keys'];
    const missing = checkOf((await doctor(world)).report.checks, 'parameter /callhook/keys');
    expect(missing).toMatchObject({ status: 'failed' });
    expect(missing.fix).toContain('copy the secret callhook/keys first');
    // Deleted after a deploy: the command it gives puts a value the doctor then accepts.
    const put = /--value "(.*)"/.exec(missing.fix ?? '')?.[1] ?? '';
    const value = put
      .replace(/\$\(openssl rand -hex (\d+)\)/, (_, bytes: string) => '5e'.repeat(Number(bytes)))
      .replaceAll('\\"', '"');
    world.parameters = { ...world.parameters, '/callhook/keys': secure(value) };
    expect(checkOf((await doctor(world)).report.checks, 'parameter /callhook/keys')).toMatchObject({
      status: 'ok',
    });
    delete world.parameters?.['/callhook/keys'];

    world.parameters = { ...world.parameters, '/callhook/keys': secure('{"admin_key": 7}') };
    const { report, text } = await doctor(world);
    expect(checkOf(report.checks, 'parameter /callhook/keys')).toMatchObject({ status: 'failed' });
    expect(text).not.toContain('"admin_key": 7');
  });

  it('names the put-parameter command for a missing parameter', async () => {
    const world = inParameterStore();
    delete world.parameters?.['/callhook/tilda-token'];

    const { report } = await doctor(world);

    expect(checkOf(report.checks, 'parameter /callhook/tilda-token')).toEqual({
      subject: 'parameter /callhook/tilda-token',
      status: 'failed',
      detail: 'does not exist (routes.callback.auth.secret)',
      fix: "aws ssm put-parameter --type SecureString --name /callhook/tilda-token --value '<the token>'",
    });
  });

  it('fails a String parameter, kept unencrypted, and a malformed one, never printing a value', async () => {
    const world = inParameterStore();
    world.parameters = {
      '/callhook/uis-access-key': { state: 'present', type: 'String', value: KEY },
      '/callhook/tilda-token': secure(' tilda-token-77aa'),
    };

    const { report, text } = await doctor(world);

    expect(checkOf(report.checks, 'parameter /callhook/uis-access-key')).toMatchObject({
      status: 'failed',
      detail:
        'is a String parameter, kept unencrypted: it must be a SecureString (accounts.main.secret)',
      fix: `kept="$(aws ssm get-parameter --name /callhook/uis-access-key --output json --query "{Name: Parameter.Name, Type: 'SecureString', Value: Parameter.Value}")" && aws ssm delete-parameter --name /callhook/uis-access-key && printf '%s' "$kept" | aws ssm put-parameter --cli-input-json file:///dev/stdin (a function that reads it between the two finds it missing; warm ones keep what they read for 5 minutes)`,
    });
    expect(checkOf(report.checks, 'parameter /callhook/tilda-token')).toMatchObject({
      status: 'failed',
      fix: "aws ssm put-parameter --type SecureString --name /callhook/tilda-token --overwrite --value '<the token>'",
    });
    expect(text).not.toContain('uis-key-5b1f');
    expect(text).not.toContain('tilda-token-77aa');
  });

  it('makes a String keys parameter a SecureString keeping its value: new keys would change the contact hash key', async () => {
    const world = inParameterStore();
    world.parameters = {
      ...world.parameters,
      '/callhook/keys': { state: 'present', type: 'String', value: GENERATED_KEYS },
    };

    const { report, text } = await doctor(world);

    const fix = checkOf(report.checks, 'parameter /callhook/keys').fix ?? '';
    // Read before the delete, put back after it: the generated value survives, nobody types it.
    expect(fix.indexOf('aws ssm get-parameter --name /callhook/keys')).toBeGreaterThanOrEqual(0);
    expect(fix.indexOf('aws ssm get-parameter')).toBeLessThan(fix.indexOf('delete-parameter'));
    expect(fix).not.toContain('<16 or more random characters>');
    expect(text).not.toContain(JSON.parse(GENERATED_KEYS).generated.slice(0, 32));
  });

  it('names the parameter to renew when the credentials were refused, under the stage', async () => {
    const world = inParameterStore();
    world.stacks = {
      'prod--CallhookStateful': world.stacks.CallhookStateful as World['stacks'][string],
      'prod--CallhookStateless': world.stacks.CallhookStateless as World['stacks'][string],
    };
    world.parameters = {
      '/prod--callhook/keys': secure(GENERATED_KEYS),
      '/prod--callhook/uis-access-key': secure(KEY),
      '/prod--callhook/tilda-token': secure('tilda-token-77aa'),
    };
    world.probe = okProbe({ status: 'auth_failed', error: 'access_token_expired', detail: 'x' });

    const { report } = await doctor(world, 'prod');

    expect(checkOf(report.checks, 'parameter /prod--callhook/uis-access-key').status).toBe('ok');
    expect(checkOf(report.checks, 'account main (UIS)').fix).toContain(
      'aws ssm put-parameter --type SecureString --name /prod--callhook/uis-access-key --overwrite',
    );
  });

  it('goes by the cdk.json setting only while the stateless stack is not there to say', async () => {
    const world = inParameterStore();
    const ports = portsOf(world);
    const input = { config: CONFIG, configFile: 'c.json', secretStore: 'secrets-manager' as const };
    // The deployed stack says parameter-store: the setting in cdk.json does not override it.
    const deployed = await runDoctor(ports, input);
    expect(deployed.checks.some((c) => c.subject === 'parameter /callhook/tilda-token')).toBe(true);

    delete world.stacks.CallhookStateless;
    const before = await runDoctor(ports, { ...input, secretStore: 'parameter-store' });
    expect(before.checks.some((c) => c.subject === 'parameter /callhook/tilda-token')).toBe(true);
    // A stateless stack without the output is one from before the setting: Secrets Manager.
    world.stacks.CallhookStateless = healthy().stacks.CallhookStateless as World['stacks'][string];
    const old = await runDoctor(ports, { ...input, secretStore: 'parameter-store' });
    expect(old.checks.some((c) => c.subject === 'secret callhook/tilda-token')).toBe(true);
  });

  it("fails a keys parameter whose contact hash key is not the secret's: generated where the move should have copied", async () => {
    // A deploy with parameter-store before the copy (a rolled-back one too: the parameter stays)
    // generates /callhook/keys; the copy then finds it there and the deploy keeps it. Every shape
    // is right, and the admin key and the per-number cap's counts are new all the same.
    const other = JSON.stringify({
      generated: 'Oth3rAdminKey0123456789abcdefghiOth3rHashKey0123456789abcdefghij',
    });
    const world = inParameterStore();
    world.secrets = { 'callhook/keys': present('callhook/keys', GENERATED_KEYS, 1) };
    world.parameters = { ...world.parameters, '/callhook/keys': secure(other) };

    const { report, text } = await doctor(world);

    const keys = checkOf(report.checks, 'parameter /callhook/keys');
    expect(keys.status).toBe('failed');
    expect(keys.fix).toContain('aws secretsmanager get-secret-value --secret-id callhook/keys');
    expect(text).not.toContain('Oth3rHashKey');
    expect(text).not.toContain('Gen3ratedHashKey');
    // A rotated admin key alone (the hash key kept) is not a failed copy.
    world.parameters['/callhook/keys'] = secure(
      JSON.stringify({ ...JSON.parse(GENERATED_KEYS), admin_key: 'rotated-admin-key-0001' }),
    );
    expect(checkOf((await doctor(world)).report.checks, 'parameter /callhook/keys').status).toBe(
      'ok',
    );
  });

  it('checks the parameters a move will read before the stateless stack moves to them', async () => {
    // The move's first deploy switches every function to the parameters at once, and a missing
    // one fails each call that needs it for good (secret_missing). With cdk.json already saying
    // parameter-store, the doctor must be able to say so before that deploy, not only after it.
    const world = inParameterStore();
    world.stacks.CallhookStateless = healthy().stacks.CallhookStateless as World['stacks'][string];
    world.stacks.CallhookStateful = healthy().stacks.CallhookStateful as World['stacks'][string];
    world.secrets = healthy().secrets;
    delete world.parameters?.['/callhook/tilda-token'];

    const { report } = await doctor(world, undefined, 'parameter-store');

    // What the deployed functions read is still checked, as before.
    expect(checkOf(report.checks, 'secret callhook/tilda-token').status).toBe('ok');
    // And what they will read once moved: the copy that did not happen fails the run.
    expect(checkOf(report.checks, 'parameter /callhook/uis-access-key').status).toBe('ok');
    expect(checkOf(report.checks, 'parameter /callhook/tilda-token')).toMatchObject({
      status: 'failed',
      detail: 'does not exist (routes.callback.auth.secret)',
    });
  });
});

describe('doctorOptions', () => {
  it('takes the config file and stage from the flags, else from the CDK context, as the app does', () => {
    const context = { 'callhook:config': 'callhook.prod.json', 'callhook:stage': 'prod' };

    expect(doctorOptions([], context)).toEqual({
      configFile: 'callhook.prod.json',
      stage: 'prod',
      secretStore: 'secrets-manager',
    });
    expect(
      doctorOptions(['--stage', 'staging', '--config', 'other.json'], {
        ...context,
        'callhook:secretStore': 'parameter-store',
      }),
    ).toEqual({ configFile: 'other.json', stage: 'staging', secretStore: 'parameter-store' });
    expect(doctorOptions([], {})).toEqual({
      configFile: 'callhook.config.json',
      stage: undefined,
      secretStore: 'secrets-manager',
    });
  });

  it('refuses a stage the CDK app would refuse, and an unknown flag', () => {
    expect(() => doctorOptions(['--stage', 'Prod'], {})).toThrow(/callhook:stage/);
    expect(() => doctorOptions(['--stag', 'prod'], {})).toThrow(/--stag/);
  });
});
