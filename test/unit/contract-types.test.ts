import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OperatorAction } from '../../functions/calls/routes.ts';
import type { CallAction } from '../../infra/cli/api-client.ts';
import type { Problem as ContractProblem } from '../../shared/contract/admin-schemas.ts';
import {
  type HookAccepted,
  type HookCancelRecorded,
  type HookDuplicate,
  type HookIgnored,
  type HookSkipped,
  ProviderEvent,
} from '../../shared/contract/hook-schemas.ts';
import { type Operation, problem, type Responses } from '../../shared/contract/operations.ts';
import { ProviderEvent as ParsedProviderEvent } from '../../shared/events/provider-event.ts';
import type { Problem } from '../../shared/http/problem-response.ts';
import type { Accepted } from '../../shared/ingest/accept-webhook.ts';
import { MAX_CALL_SECONDS } from '../../shared/validation/provider-numbers.ts';

describe('The HTTP contract’s types', () => {
  it('are what ingest answers, the server’s problem body and the CLI’s actions', () => {
    expectTypeOf<Extract<Accepted, { statusCode: 202 }>['body']>().toEqualTypeOf<HookAccepted>();
    expectTypeOf<Extract<Accepted, { statusCode: 200 }>['body']>().toEqualTypeOf<
      HookDuplicate | HookSkipped | HookIgnored | HookCancelRecorded
    >();
    expectTypeOf<Problem>().toEqualTypeOf<ContractProblem>();
    expectTypeOf<CallAction>().toEqualTypeOf<OperatorAction>();
    expectTypeOf<CallAction>().toEqualTypeOf<'cancel' | 'retry' | 'abandon' | 'again'>();
  });

  it('do not let an operation name a problem code under another status than the catalogue’s', () => {
    const placed: Responses = { 409: problem('Taken.', ['idempotency_conflict']) };
    // @ts-expect-error: `unauthorized` is a 401.
    const misplaced: Responses = { 400: problem('Bad.', ['unauthorized']) };

    expect([placed, misplaced]).toHaveLength(2);
  });

  it('do not let an operation name a tag or a security scheme the description lacks', () => {
    const base = { operationId: 'x', summary: 'x', responses: {} } as const;
    // @ts-expect-error: no tag `admin`.
    const tagged: Operation = { ...base, tags: ['admin'], security: [] };
    // @ts-expect-error: no scheme `apiKey`.
    const secured: Operation = { ...base, tags: ['calls'], security: [{ apiKey: [] }] };

    expect([tagged, secured]).toHaveLength(2);
  });
});

describe('The notification body the contract describes (ProviderEvent)', () => {
  const id = 'c_0123456789abcdef0123456789abcdef';
  const bodies: [unknown, boolean][] = [
    [{ event: 'answered', call_session_id: 12 }, true],
    [
      {
        event: 'ended',
        call_session_id: '12',
        external_id: `${id}-2`,
        talk_time_duration: '30',
        total_time_duration: MAX_CALL_SECONDS,
        finish_reason: 'subscriber_hangup',
        notification_time: '2025-03-01 12:00:00',
        kept: 'as it came',
      },
      true,
    ],
    [{ event: 'ringing', call_session_id: 12 }, false],
    [{ event: 'answered' }, false],
    [{ event: 'answered', call_session_id: 0 }, false],
    [{ event: 'answered', call_session_id: 1.5 }, false],
    [{ event: 'answered', call_session_id: '1.5' }, false],
    [{ event: 'answered', call_session_id: 2 ** 53 }, false],
    [{ event: 'ended', call_session_id: 12, talk_time_duration: MAX_CALL_SECONDS + 1 }, false],
    [{ event: 'ended', call_session_id: 12, talk_time_duration: -1 }, false],
    [{ event: 'ended', call_session_id: 12, finish_reason: 'x'.repeat(256) }, false],
  ];

  it.each(bodies)('is the one the events function parses: %j', (body, valid) => {
    expect(ProviderEvent.safeParse(body).success).toBe(valid);
    expect(ParsedProviderEvent.safeParse(body).success).toBe(valid);
  });
});
