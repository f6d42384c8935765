import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClockedRuntime } from '../support/clocked-runtime.ts';
import { demoConfig } from '../support/configs.ts';
import { type Answer, freshPhones, getCall, postHook, postSigned } from '../support/http.ts';
import { createContractChecker, readOpenApi } from '../support/openapi.ts';
import { HOOK_TOKEN, queueIdle, type TestRuntime } from '../support/runtime.ts';
import { typeformResponse } from '../support/sender-payloads.ts';
import { signTypeform } from '../support/senders.ts';

/*
 * One call per person across sources: a Tilda form, a Typeform quiz and a no-code tool's token
 * route share the group "leads" and a 30-minute window. The same person sending all three rings
 * once; the others are kept as `skipped: duplicate_contact`, linked to the call both ways. Over
 * HTTP against the local runtime (dynalite, the simulator), on a clock the test moves.
 */

const TYPEFORM_SECRET = 'typeform-contact-window';
const LEADS = { group: 'leads', contact_window_minutes: 30 };

const config = demoConfig(
  {
    tilda: {
      preset: 'tilda-form',
      auth: { secret: 'demo/hook-token' },
      call: { params: { operator: '74951234567' } },
      ...LEADS,
    },
    typeform: { preset: 'typeform-form-response', auth: { secret: 'shop/typeform' }, ...LEADS },
    // A no-code tool's step: `reject`, so a duplicate is answered with its problem.
    webhook: { preset: 'generic', auth: { secret: 'demo/hook-token' }, ...LEADS },
    // The same sender outside the group: no window.
    orders: { preset: 'generic', auth: { secret: 'demo/hook-token' } },
  },
  {},
  'contact-window test',
);

const MINUTE = 60_000;

const contract = createContractChecker(readOpenApi());
/** What is wrong with an answer by the OpenAPI description (`template`: its path there). */
const violations = (method: string, template: string, answer: Answer) =>
  contract.check(method, template, { ...answer, text: JSON.stringify(answer.body) });

describe('A contact window across three routes of one group', () => {
  let clocked: Awaited<ReturnType<typeof startClockedRuntime>>;
  let runtime: TestRuntime;
  const nextPhone = freshPhones('410');
  let n = 0;

  beforeAll(async () => {
    clocked = await startClockedRuntime(config, { secrets: { 'shop/typeform': TYPEFORM_SECRET } });
    runtime = clocked.rt;
  });
  afterAll(() => runtime.stop());

  /** Tilda's form post, its phone as a visitor types it. */
  const tilda = (phone: string): Promise<Answer> => {
    n += 1;
    return postHook(runtime.bridgeUrl, `tilda?token=${HOOK_TOKEN}`, null, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: new URLSearchParams({ Name: 'Vera', Phone: phone, tranid: `4711:${n}` }).toString(),
      token: null,
    });
  };
  const typeform = (phone: string): Promise<Answer> => {
    n += 1;
    const body = JSON.stringify(typeformResponse(phone, n));
    return postSigned(runtime.bridgeUrl, 'typeform', signTypeform(TYPEFORM_SECRET, body));
  };
  /** A no-code tool's step, named by its Idempotency-Key (a new one unless given). */
  const webhook = (phone: string, key?: string, route = 'webhook'): Promise<Answer> => {
    n += 1;
    return postHook(
      runtime.bridgeUrl,
      route,
      { phone, message: 'You asked us to call you back.' },
      { headers: { 'idempotency-key': key ?? `step-${n}` } },
    );
  };
  /** The calls the simulator was asked to make to the number, once the queue is idle. */
  const dialled = async (phone: string) => {
    await queueIdle(runtime.queue);
    return runtime.simulator.calls().filter((call) => call.params.contact === phone.slice(1));
  };
  const viewOf = async (callId: unknown) => (await getCall(runtime.bridgeUrl, String(callId))).body;
  const mergedLines = (view: Record<string, unknown>) =>
    (view.timeline as { type: string; reason?: string | null }[])
      .filter((entry) => entry.type === 'status' && entry.reason?.startsWith('duplicate_contact'))
      .map((entry) => entry.reason);

  it('rings the person once for a Tilda form, a Typeform quiz and a token step, each linked', async () => {
    const phone = nextPhone();
    const national = `8 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`;

    const first = await tilda(national);
    const second = await typeform(phone);
    const third = await webhook(phone.slice(1), 'step-third');
    const thirdAgain = await webhook(phone.slice(1), 'step-third');

    expect(first).toMatchObject({ status: 202, body: { status: 'queued' } });
    const kept = first.body.call_id;
    // Typeform's preset accepts: 200 skipped, naming the call it merged into.
    expect(second).toMatchObject({
      status: 200,
      body: {
        status: 'skipped',
        reason: 'duplicate_contact',
        duplicate: false,
        duplicate_of: kept,
      },
    });
    // The token step rejects: its 409 problem names the call too, and so does its repeat.
    expect(third).toMatchObject({
      status: 409,
      contentType: 'application/problem+json',
      body: { code: 'duplicate_contact', duplicate_of: kept },
    });
    expect(thirdAgain).toMatchObject({
      status: 409,
      body: { code: 'duplicate_contact', duplicate_of: kept },
    });
    expect(await dialled(phone)).toHaveLength(1);
    // Each answer, and the skipped event's view, is the contract's: `duplicate_of` included.
    for (const answer of [first, second, third, thirdAgain]) {
      expect(violations('POST', '/hooks/{route}', answer)).toEqual([]);
    }
    const skippedAnswer = await getCall(runtime.bridgeUrl, String(second.body.call_id));
    expect(violations('GET', '/calls/{call_id}', skippedAnswer)).toEqual([]);

    const skippedView = skippedAnswer.body;
    expect(skippedView).toMatchObject({
      status: 'skipped',
      route: 'typeform',
      duplicate_of: kept,
      error: { reason: 'duplicate_contact' },
    });
    expect(await viewOf(kept)).toMatchObject({ duplicate_of: null });
    const thirdId = (await runtime.store.list({ route: 'webhook', limit: 1 })).records[0]?.call_id;
    expect(mergedLines(await viewOf(kept))).toEqual([
      `duplicate_contact: event ${second.body.call_id} on route typeform merged into this call`,
      `duplicate_contact: event ${thirdId} on route webhook merged into this call`,
    ]);
  });

  it('rings once for three events at once on the three routes, the other two linked', async () => {
    const phone = nextPhone();

    const answers = await Promise.all([
      tilda(phone),
      typeform(phone),
      webhook(phone.slice(1), 'step-at-once'),
    ]);

    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted).toHaveLength(1);
    const kept = accepted[0]?.body.call_id;
    const merged = answers.filter((answer) => answer.status !== 202);
    for (const answer of merged) {
      expect(answer.body).toMatchObject({ duplicate_of: kept });
      expect([answer.body.reason, answer.body.code]).toContain('duplicate_contact');
    }
    expect(await dialled(phone)).toHaveLength(1);
    // Whichever came first, the call names both others, once each: each event links itself,
    // or, when it came while the call was being stored, the call's own ingest links it.
    const skipped = (await runtime.store.list({ statuses: ['skipped'], limit: 50 })).records
      .filter((record) => record.duplicate_of === kept)
      .map((record) => record.call_id);
    expect(skipped).toHaveLength(2);
    const lines = mergedLines(await viewOf(kept));
    expect(lines).toHaveLength(2);
    for (const id of skipped) expect(lines.some((line) => line?.includes(id))).toBe(true);
  });

  it('rings again once the window has ended, and never across groups or for another number', async () => {
    const phone = nextPhone();
    const other = nextPhone();

    expect((await typeform(phone)).status).toBe(202);
    expect((await webhook(other.slice(1))).status).toBe(202);
    expect((await webhook(phone.slice(1), 'order-outside', 'orders')).status).toBe(202);
    clocked.advance(29 * MINUTE);
    expect(await tilda(phone)).toMatchObject({ body: { reason: 'duplicate_contact' } });
    clocked.advance(MINUTE);
    const after = await tilda(phone);

    expect(after).toMatchObject({ status: 202, body: { status: 'queued' } });
    expect(await viewOf(after.body.call_id)).toMatchObject({ duplicate_of: null });
    // The form's call, the call of the route outside the group, the one after the window.
    expect(await dialled(phone)).toHaveLength(3);
  });
});
