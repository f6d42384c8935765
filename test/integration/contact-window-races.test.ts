import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTables, type RunningDynalite, startDynalite } from '../../infra/local/dynalite.ts';
import { DynamoDbCallStore } from '../../shared/adapters/dynamodb/dynamodb-call-store.ts';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbContactWindowStore } from '../../shared/adapters/dynamodb/dynamodb-contact-window-store.ts';
import { DynamoDbKeptEvents } from '../../shared/adapters/dynamodb/dynamodb-kept-events.ts';
import { InProcessQueue } from '../../shared/adapters/local/in-process-queue.ts';
import type { DispatchMessage } from '../../shared/calls/dispatch-queue.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { acceptWebhook, type IngestDeps } from '../../shared/ingest/accept-webhook.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';
import { demoConfig } from '../support/configs.ts';

/*
 * The contact window where ingests overlap or die: ingest itself on dynalite, its writes held
 * or failed on purpose, on a clock the test moves. An event that comes while the call it merges
 * into is being stored is linked all the same; an ingest that dies, or is refused after opening
 * the window, keeps nobody from being called.
 */

const informer = (group: Record<string, unknown>) => ({
  auth: { type: 'none' },
  call: {
    method: 'start.informer_call',
    contact: 'phone',
    contact_message: { type: 'tts', value: "'We will call you back.'" },
  },
  idempotency_key: 'id',
  // Answered 200 "skipped" with the call id, which the tests follow.
  on_refusal: 'accept',
  ...group,
});
const LEADS = { group: 'leads', contact_window_minutes: 30 };

const config = demoConfig(
  {
    form: informer(LEADS),
    quiz: informer(LEADS),
    // A no-code step: the cap's refusal there is a 429 that stores nothing.
    step: { ...informer(LEADS), on_refusal: 'reject' },
  },
  { per_number_daily_limit: 1 },
  'contact-window races',
);

const request = (body: Record<string, unknown>) => ({
  headers: { 'content-type': 'application/json' },
  query: {},
  body: Buffer.from(JSON.stringify(body)),
});

/** What ingest answered: its HTTP status and body, or the problem's code and its members. */
const answerOf = async (run: Promise<unknown>): Promise<Record<string, unknown>> => {
  try {
    const { statusCode, body } = (await run) as {
      statusCode: number;
      body: Record<string, unknown>;
    };
    return { http: statusCode, ...body };
  } catch (error) {
    const { code, extensions } = error as { code?: string; extensions?: Record<string, unknown> };
    if (code === undefined) throw error;
    return { code, ...extensions };
  }
};

describe('The contact window where ingests overlap or die', () => {
  let dynamo: RunningDynalite;
  let deps: IngestDeps;
  let clock = new Date('2026-12-01T10:00:00Z');
  let seq = 0;
  const freshPhone = () => {
    seq += 1;
    return `+7926777${String(seq).padStart(4, '0')}`;
  };

  beforeAll(async () => {
    dynamo = await startDynalite();
    const names = { calls: 'calls', contacts: 'contacts', limits: 'limits' };
    await createTables(dynamo.clientConfig, names);
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    const hashKey = async () => 'contact-window-races-key';
    deps = {
      config,
      numbering: numberingForConfig(config),
      store: new DynamoDbCallStore({ tableName: names.calls, clientConfig: dynamo.clientConfig }),
      keptEvents: new DynamoDbKeptEvents({
        tableName: names.calls,
        clientConfig: dynamo.clientConfig,
      }),
      queue: new InProcessQueue<DispatchMessage>(),
      secrets: { get: async () => '' },
      contacts: new DynamoDbContactCapStore({
        tableName: names.contacts,
        clientConfig: dynamo.clientConfig,
        hashKey,
      }),
      contactWindows: new DynamoDbContactWindowStore({
        tableName: names.contacts,
        clientConfig: dynamo.clientConfig,
        hashKey,
      }),
      logger: createLogger('contact-window-races'),
      now: () => clock,
      timing: SWEEP_TIMING,
    };
  });
  afterAll(() => dynamo.close());

  const send = (route: string, id: string, phone: string, with_ = deps) =>
    answerOf(acceptWebhook(with_, route, request({ id, phone })));

  it('links an event that came while the call it merges into was being stored', async () => {
    const phone = freshPhone();
    // The form's ingest is held between opening the window and storing its call.
    let storeForm: () => void = () => {};
    const formMayStore = new Promise<void>((resolve) => {
      storeForm = resolve;
    });
    let creates = 0;
    const held: IngestDeps = {
      ...deps,
      store: {
        ...deps.store,
        get: (id) => deps.store.get(id),
        update: (...args) => deps.store.update(...args),
        create: async (record, at) => {
          creates += 1;
          await formMayStore;
          return deps.store.create(record, at);
        },
      } as IngestDeps['store'],
    };
    const form = send('form', 'f1', phone, held);
    await vi.waitFor(() => expect(creates).toBe(1));

    const quiz = await send('quiz', 'q1', phone);
    storeForm();
    const kept = await form;

    expect(kept).toMatchObject({ http: 202 });
    expect(quiz).toMatchObject({
      http: 200,
      reason: 'duplicate_contact',
      duplicate_of: kept.call_id,
    });
    const skipped = await deps.store.get(String(quiz.call_id));
    expect(skipped?.duplicate_of).toBe(kept.call_id);
    const history = (await deps.store.get(String(kept.call_id)))?.history ?? [];
    expect(history.map((entry) => entry.reason)).toContain(
      `duplicate_contact: event ${skipped?.call_id} on route quiz merged into this call`,
    );
  });

  it('lets the person be called a minute after an ingest died between the window and the call', async () => {
    const phone = freshPhone();
    const dying: IngestDeps = {
      ...deps,
      store: {
        ...deps.store,
        get: (id) => deps.store.get(id),
        update: (...args) => deps.store.update(...args),
        create: async () => {
          throw new Error('the process stopped before storing the call');
        },
      } as IngestDeps['store'],
    };
    await expect(send('form', 'f2', phone, dying)).rejects.toThrow('the process stopped');

    clock = new Date(clock.getTime() + 61_000);

    expect(await send('quiz', 'q2', phone)).toMatchObject({ http: 202 });
  });

  it('gives the window back when the cap refuses the event that opened it', async () => {
    const phone = freshPhone();
    // The number's one call a day (per_number_daily_limit 1), made 20 seconds short of a day
    // before the step's event, its window long over.
    const dayStart = clock;
    expect(await send('form', 'f3-yesterday', phone)).toMatchObject({ http: 202 });
    clock = new Date(dayStart.getTime() + 86_400_000 - 20_000);

    // The step's event opens the window, then meets the cap: the number has had its call, and
    // nothing is stored for the event.
    const refused = await send('step', 's3', phone);
    clock = new Date(clock.getTime() + 30_000);
    const later = await send('quiz', 'q3', phone);

    expect(refused).toMatchObject({ code: 'contact_rate_limited' });
    // Half a minute on, the cap has room: the quiz rings, kept from it by no window (the step's,
    // not stored, would hold for a minute).
    expect(later).toMatchObject({ http: 202 });
  });
});
