import { describe, expect, it } from 'vitest';
import { settingsFromContext } from '../../infra/aws/settings.ts';

/** The CDK context as `-c callhook:<name>=<value>` (strings) or cdk.json (JSON values) sets it. */
const contextOf =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

describe('Deployment settings from the CDK context', () => {
  it('does not import secrets unless asked', () => {
    expect(settingsFromContext(contextOf({})).importSecrets).toBe(false);
  });

  it.each([
    ['the string "false"', 'false', false],
    ['the string "true"', 'true', true],
    ['the boolean false', false, false],
    ['the boolean true', true, true],
  ])('reads importSecrets given as %s', (_, value, expected) => {
    const settings = settingsFromContext(contextOf({ 'callhook:importSecrets': value }));
    expect(settings.importSecrets).toBe(expected);
  });

  it.each([
    ['"yes"', 'yes'],
    ['"0"', '0'],
    ['"FALSE "', 'FALSE '],
    ['an empty string', ''],
    ['the number 1', 1],
  ])('refuses importSecrets given as %s, naming the setting', (_, value) => {
    expect(() => settingsFromContext(contextOf({ 'callhook:importSecrets': value }))).toThrow(
      /callhook:importSecrets: .*"true" or "false"/,
    );
  });

  it('egresses through NAT gateways unless told otherwise', () => {
    expect(settingsFromContext(contextOf({})).egress).toBe('nat-gateway');
    expect(settingsFromContext(contextOf({ 'callhook:egress': 'nat-instance' })).egress).toBe(
      'nat-instance',
    );
  });

  it('refuses an egress it does not know, naming the setting and the choices', () => {
    expect(() => settingsFromContext(contextOf({ 'callhook:egress': 'nat' }))).toThrow(
      /callhook:egress: .*"nat-gateway".*"nat-instance"/,
    );
  });
  it('makes no WAF unless asked, with a limit of 100 requests per address and no anonymous IP list', () => {
    expect(settingsFromContext(contextOf({}))).toMatchObject({
      waf: false,
      wafRateLimit: 100,
      wafAnonymousIpList: false,
    });
    expect(
      settingsFromContext(contextOf({ 'callhook:waf': 'true', 'callhook:wafRateLimit': '500' })),
    ).toMatchObject({ waf: true, wafRateLimit: 500 });
  });

  it("refuses a WAF rate limit below AWS WAF's lowest, 10, naming the setting", () => {
    expect(() => settingsFromContext(contextOf({ 'callhook:wafRateLimit': '5' }))).toThrow(
      /callhook:wafRateLimit: /,
    );
  });
});
