import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { CfnResource } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { cdkFeatureFlags, synthCallhook } from './cdk-synth.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/**
 * Where `cdk.json` departs from what `cdk init` writes for the pinned aws-cdk-lib, and why
 * (docs/deploying-to-aws.md#feature-flags says the same): each would change today's resources.
 */
const DEPARTURES = {
  // Would merge the functions' policy statements: every policy of a deployed stack rewritten.
  '@aws-cdk/aws-iam:minimizePolicies': false,
  // Would add a custom resource (a Lambda function and its role) to every VPC.
  '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup': false,
  // Strong references were chosen before the flag existed; weak ones would change the exports.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

describe('CDK hygiene', () => {
  it('sets every feature flag aws-cdk-lib recommends, as recommended but for the departures', () => {
    const recommended = require('aws-cdk-lib/recommended-feature-flags.json') as Record<
      string,
      unknown
    >;
    expect(Object.keys(recommended).length).toBeGreaterThan(80);
    expect(cdkFeatureFlags()).toEqual({ ...recommended, ...DEPARTURES });
  });

  it('refuses at synth a property its CloudFormation type does not accept', () => {
    const breakDashboard = (property: string, value: unknown) => () =>
      synthCallhook({
        before: ({ stateless }) => {
          const dashboard = stateless.node
            .findAll()
            .find((c) => (c as CfnResource).cfnResourceType === 'AWS::CloudWatch::Dashboard');
          (dashboard as CfnResource).addPropertyOverride(property, value);
        },
      });
    // An escape hatch bypasses the L1 classes' own checks; the schema check still sees it.
    expect(breakDashboard('DashboardTitle', 'callhook')).toThrow(
      /DashboardTitle: Additional properties are not allowed .*\(CloudFormation Validate\)/,
    );
    expect(breakDashboard('DashboardName', ['a', 'list'])).toThrow(
      /DashboardName: .*\(CloudFormation Validate\)/,
    );
    // The same app untouched passes: the refusal is the property's.
    expect(() => synthCallhook()).not.toThrow();
  }, 120_000);

  it('prints a refused deployment (a simulator account) without a stack trace from `cdk synth`', async () => {
    const failure = await run(
      'npx',
      ['cdk', 'synth', '--quiet', '--no-notices', '-c', 'callhook:config=callhook.config.json'],
      { encoding: 'utf8' },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(
      'callhook: accounts.demo uses the local simulator; give it a real provider (or base_url) to deploy',
    );
    expect(failure?.stderr).not.toMatch(/^\s+at /m);
    expect(failure?.stderr).not.toContain('Error:');
  }, 60_000);

  it('prints an invalid setting the same way, naming it', async () => {
    const failure = await run('npx', ['tsx', 'infra/aws/app.ts'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({
          'callhook:config': 'infra/aws/example.config.json',
          'callhook:stage': 'Prod--1',
        }),
      },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(
      /^callhook: invalid deployment settings:\n {2}callhook:stage: /,
    );
    expect(failure?.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('keeps `cdk.json` valid JSON with the app the CLI runs', () => {
    const cdk = JSON.parse(readFileSync('cdk.json', 'utf8')) as { app: string };
    expect(cdk.app).toBe('npx tsx infra/aws/app.ts');
  });
});
