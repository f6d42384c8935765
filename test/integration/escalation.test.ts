import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { startClockedRuntime } from '../support/clocked-runtime.ts';
import { DEMO_ACCOUNT } from '../support/configs.ts';
import { getCall, postHook, waitForStatus } from '../support/http.ts';
import { createContractChecker, readOpenApi } from '../support/openapi.ts';
import { EVENTS_TOKEN, type TestRuntime } from '../support/runtime.ts';

const contract = createContractChecker(readOpenApi());
const MINUTE = 60_000;
/** Past the simulated call's minute and the first look at its report (two minutes). */
const UNTIL_REPORTED = 2 * MINUTE + 5_000;

/**
 * A shop's callback route on the Call API (operators first) whose calls nobody answered
 * escalate to a JAICP voice bot: both simulated, over HTTP, on one clock the test moves.
 */
const configWith = ({ perNumber = 3 }: { perNumber?: number } = {}) =>
  parseConfig(
    {
      accounts: {
        demo: {
          ...DEMO_ACCOUNT,
          data_api: { secret: 'demo/dataapi' },
          events_secret: 'demo/events-token',
        },
        bot: { backend: 'jaicp', provider: 'simulator', secret: 'bot/campaign' },
      },
      routes: {
        callback: {
          account: 'demo',
          auth: { type: 'token', secret: 'demo/hook-token' },
          call: {
            method: 'start.simple_call',
            contact: 'phone',
            params: { first_call: 'operator', operator: '74951234567' },
          },
          redial: { on: ['no_answer'], max: 1, after_minutes: 10 },
          escalate: { when: ['operator_missed', 'no_answer'], to: 'bot' },
          stop_when_customer_calls: true,
        },
        bot: {
          account: 'bot',
          auth: { type: 'token', secret: 'demo/hook-token' },
          call: {
            method: 'jaicp.addPhones',
            contact: 'phone',
            payload: { name: 'name', order: 'order_id' },
          },
        },
      },
      per_number_daily_limit: perNumber,
    },
    'escalation test',
  );

describe('Escalate when nobody answers (Call API → JAICP, against both simulators)', () => {
  let runtime: TestRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  const start = async (options: { perNumber?: number } = {}) => {
    const clocked = await startClockedRuntime(configWith(options), {
      secrets: { 'bot/campaign': 'campaign-token-8231' },
      jaicp: { jobDurationMs: 60_000 },
    });
    runtime = clocked.rt;
    const jaicp = clocked.rt.jaicp;
    if (jaicp === undefined) throw new Error('the JAICP simulator did not start');
    return { ...clocked, jaicp };
  };

  const accept = async (rt: TestRuntime, phone: string, order = 'A-1042') => {
    const answer = await postHook(rt.bridgeUrl, 'callback', {
      phone,
      name: 'Zoya',
      order_id: order,
    });
    expect(answer.status).toBe(202);
    const callId = String(answer.body.call_id);
    await waitForStatus(rt.bridgeUrl, callId, 'placed');
    return callId;
  };

  it('makes one linked bot call when the operators missed it, linked both ways, however often the sweeper runs', async () => {
    const { rt, advance, sweep, jaicp } = await start();
    rt.simulator.setOutcome({ contact: '79260000051', fate: 'operator_missed' });
    const callId = await accept(rt, '+79260000051');

    advance(UNTIL_REPORTED);
    await sweep();
    const due = await rt.store.get(callId);
    expect(due?.status).toBe('completed');
    expect(due?.escalation?.due_at).toBeDefined();
    await sweep();
    await sweep();

    const source = (await getCall(rt.bridgeUrl, callId)).body;
    const linkedId = String((source.escalation as { call_id: string }).call_id);
    expect(source.escalation).toEqual({
      to: 'bot',
      call_id: linkedId,
      state: 'made',
      reason: null,
    });
    const linked = await getCall(rt.bridgeUrl, linkedId);
    expect(linked.body).toMatchObject({ route: 'bot', escalated_from: callId, status: 'placed' });
    expect(
      contract.check('GET', '/calls/{call_id}', {
        status: linked.status,
        headers: linked.headers,
        text: JSON.stringify(linked.body),
      }),
    ).toEqual([]);
    // One job for the bot, with the payload its own mapping read from the shop's event.
    expect(jaicp.jobs()).toHaveLength(1);
    expect(jaicp.jobs()[0]).toMatchObject({
      idempotenceKey: linkedId,
      job: { phone: '79260000051', payload: { name: 'Zoya', order: 'A-1042' } },
    });
    expect(JSON.stringify(source.history)).toContain(`escalated to route bot: call ${linkedId}`);
  });

  it('escalates only after the last redial, and never a call that talked', async () => {
    const { rt, advance, sweep, jaicp } = await start();
    rt.simulator.setOutcome({ contact: '79260000052', fate: 'no_answer', times: 1 });
    const talks = await accept(rt, '+79260000052');
    rt.simulator.setOutcome({ contact: '79260000053', fate: 'no_answer' });
    const neverAnswers = await accept(rt, '+79260000053', 'A-1043');

    advance(UNTIL_REPORTED);
    await sweep();
    // Both wait for their one redial: nothing is escalated yet.
    expect((await rt.store.get(neverAnswers))?.status).toBe('scheduled');
    expect(jaicp.jobs()).toHaveLength(0);
    advance(10 * MINUTE);
    await sweep();
    advance(UNTIL_REPORTED);
    await sweep();
    await sweep();

    expect(await rt.store.get(talks)).toMatchObject({
      status: 'completed',
      outcome: { result: 'talked' },
      escalation: { to: 'bot' },
    });
    expect((await rt.store.get(talks))?.escalation?.due_at).toBeUndefined();
    expect((await getCall(rt.bridgeUrl, neverAnswers)).body.escalation).toMatchObject({
      state: 'made',
    });
    expect(jaicp.jobs().map((job) => job.job.phone)).toEqual(['79260000053']);
  });

  it('makes no linked call for a customer who rang the shop before it was made', async () => {
    const { rt, advance, sweep, jaicp } = await start();
    rt.simulator.setOutcome({ contact: '79260000054', fate: 'operator_missed' });
    const callId = await accept(rt, '+79260000054');
    advance(UNTIL_REPORTED);
    await sweep();
    expect((await rt.store.get(callId))?.escalation?.due_at).toBeDefined();

    const inbound = await fetch(`${rt.bridgeUrl}/events/demo?token=${EVENTS_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'inbound', contact_phone_number: '79260000054' }),
    });
    expect(inbound.status).toBe(200);
    await sweep();

    expect((await getCall(rt.bridgeUrl, callId)).body.escalation).toMatchObject({
      state: 'refused',
      reason: expect.stringContaining('the customer called in'),
    });
    expect(jaicp.jobs()).toHaveLength(0);
  });

  it('is refused where the number has had its calls for the day', async () => {
    const { rt, advance, sweep, jaicp } = await start({ perNumber: 1 });
    rt.simulator.setOutcome({ contact: '79260000055', fate: 'operator_missed' });
    const callId = await accept(rt, '+79260000055');
    advance(UNTIL_REPORTED);
    await sweep();
    await sweep();

    expect((await getCall(rt.bridgeUrl, callId)).body.escalation).toMatchObject({
      state: 'refused',
      reason: 'the number has had its 1 calls in 24 hours',
    });
    expect(jaicp.jobs()).toHaveLength(0);
  });

  it('learns from the Data API, without the inbound template, that the customer rang: no redial, no escalation', async () => {
    const { rt, advance, sweep, jaicp } = await start();
    rt.simulator.setOutcome({ contact: '79260000056', fate: 'no_answer' });
    rt.simulator.setOutcome({ contact: '79260000057', fate: 'no_answer' });
    const callId = await accept(rt, '+79260000056');
    const other = await accept(rt, '+79260000057', 'A-1044');
    // The customer rings the shop while the callback is ringing; nobody forwards the event.
    rt.simulator.addInbound('79260000056');

    advance(UNTIL_REPORTED);
    await sweep();
    await sweep();

    const call = (await getCall(rt.bridgeUrl, callId)).body;
    expect(call).toMatchObject({
      status: 'completed',
      outcome: { result: 'no_answer' },
      customer_called_in: { at: expect.any(String) },
      escalation: { state: 'refused', reason: expect.stringContaining('the customer called in') },
    });
    // Another customer, who did not ring, is redialled as the route says.
    expect((await rt.store.get(other))?.status).toBe('scheduled');
    expect(jaicp.jobs()).toHaveLength(0);
  });
});
