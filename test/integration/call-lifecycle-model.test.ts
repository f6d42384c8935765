import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../infra/local/simulator/simulator.ts';
import { DynamoDbContactCapStore } from '../../shared/adapters/dynamodb/dynamodb-contact-cap-store.ts';
import { DynamoDbContactWindowStore } from '../../shared/adapters/dynamodb/dynamodb-contact-window-store.ts';
import { DynamoDbKeptEvents } from '../../shared/adapters/dynamodb/dynamodb-kept-events.ts';
import type { DynamoDbLimitsStore } from '../../shared/adapters/dynamodb/dynamodb-limits-store.ts';
import { parseExternalId } from '../../shared/calls/attempts.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';
import type { CallStore } from '../../shared/calls/call-store.ts';
import type { DispatchQueue } from '../../shared/calls/dispatch-queue.ts';
import { callIdFor, escalationCallIdFor } from '../../shared/calls/idempotency.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { callAgain, reachedCustomer } from '../../shared/dispatch/call-again.ts';
import { dispatchCall } from '../../shared/dispatch/dispatch-call.ts';
import { abandonCall, cancelCall, retryCall } from '../../shared/dispatch/operator-actions.ts';
import { sweep } from '../../shared/dispatch/sweep.ts';
import { SWEEP_TIMING } from '../../shared/dispatch/sweep-timing.ts';
import { stopForCustomerCall } from '../../shared/events/customer-called-in.ts';
import type { ProviderEvent } from '../../shared/events/provider-event.ts';
import { recordProviderEvent } from '../../shared/events/record-provider-event.ts';
import { ProblemError } from '../../shared/http/problem-error.ts';
import { acceptWebhook } from '../../shared/ingest/accept-webhook.ts';
import { cancelOnSendersWord } from '../../shared/ingest/sender-cancel.ts';
import { createLogger } from '../../shared/logging/logger.ts';
import { numberingForConfig } from '../../shared/routes/numbering-for.ts';
import { keySecrets, queuedRecord, startCallsTable } from '../support/dispatch.ts';
import { DYNAMO_ENGINES } from '../support/dynamo-engines.ts';

/**
 * The call lifecycle as a model: random sequences of webhooks, dispatch steps, provider
 * notifications (current, late, earlier attempts, unknown sessions, repeats), report looks
 * (slow, refused, failing), lost replies, operator cancels, retries and abandons, clock moves
 * and crashes between two writes, run against the real domain handlers, the real store
 * (dynalite; DynamoDB Local too where Java is present) and the simulator over HTTP. After every
 * command, the promises to customers are checked against what the simulator was asked to dial.
 * Leads come in through ingest itself on two routes of one group (a second source for the same
 * person): at most one call per contact per group window, and each merged event linked. The
 * callback route escalates a call whose last attempt nobody answered to another route: at most
 * one linked call, only after such an end, and none after a stop word for the call it came from.
 */

const REDIAL = { on: ['no_answer', 'busy', 'operator_missed'] as const, max: 2, after_minutes: 1 };
/**
 * The callback route redials less, so that its calls end often enough for their escalation:
 * `no_answer` (its numbers' fate by default) and `rejected` escalate after the first attempt.
 */
const CALLBACK_REDIAL_ON = ['busy', 'operator_missed'] as const;
const CONTACTS = ['79260000016', '79260000026', '79260000036'] as const;
// `rejected` is not redialled but is escalated: a call can be escalated after its first attempt.
const FATES = ['talked', 'no_answer', 'busy', 'operator_missed', 'rejected'] as const;
type Fate = (typeof FATES)[number];
const MINUTE = 60_000;
/** The lead routes' group window: the clock's moves (5 s, 61 s, 11 min) land on both sides of it. */
const WINDOW_MINUTES = 10;
const LEAD_ROUTES = ['form', 'quiz'] as const;
/** The callback route's escalation: the results it escalates on, and the route it makes a call on. */
const ESCALATE = { when: ['no_answer', 'operator_missed', 'rejected'] as const, to: 'rescue' };

class Crash extends Error {}

/** What the test knows, independently of what callhook stored. */
interface Model {
  calls: ModelCall[];
  /** The fate each contact's next dials get, in order (the simulator's own rules). */
  fates: Map<string, Fate[]>;
  /** A lost reply is armed for the next call request. */
  dropArmed: boolean;
  /**
   * The last dispatch crashed before it could write what became of its request: a reply it
   * lost was never recorded as such (the call never went `unknown`, no operator was alerted),
   * and a notification may then prove the call placed, after which the route's redials apply.
   */
  dispatchCrashed: boolean;
  /** Calls the sender cancelled before their event came: never stored as calls, never dialled. */
  cancelledAhead: Set<string>;
  /** The lead events sent in this run, by call id (a repeat sends one again). */
  leads: Set<string>;
}

interface ModelCall {
  id: string;
  contact: string;
  /** A call an escalation of this call would make (known before it is made, if ever). */
  linkedFrom?: string;
  /** The results its route redials on. */
  redialOn: readonly string[];
  /** Retries an operator ordered and callhook acknowledged. */
  retries: number;
  /** Dials the simulator had seen for it when a cancel was acknowledged. */
  dialsAtCancel?: number;
  /** Dials the simulator had seen for it when the sender's cancel was answered. */
  dialsAtSenderCancel?: number;
  /** Dials the simulator had seen for it when the customer's own call was recorded. */
  dialsAtCustomerCall?: number;
  /**
   * Each dial: its external id, its fate, whether its reply was lost (and callhook lived to
   * know it: such an attempt went `unknown` and is never redialled).
   */
  dials: { externalId: string; fate: Fate; lost: boolean }[];
}

interface Real {
  store: CallStore;
  windows: DynamoDbContactWindowStore;
  limits: DynamoDbLimitsStore;
  raw: CallStore;
  simulator: RunningSimulator;
  contacts: DynamoDbContactCapStore;
  keptEvents: DynamoDbKeptEvents;
  queue: string[];
  clock: { ms: number };
  /** Writes left before the crash armed by `CrashSoon`; undefined when none is armed. */
  writesBeforeCrash?: number | undefined;
}

const config = (simulatorUrl: string) =>
  parseConfig(
    {
      accounts: {
        acme: {
          base_url: simulatorUrl,
          secret: 'acme/callapi',
          virtual_phone_number: '74993720692',
          data_api: { secret: 'acme/dataapi', base_url: simulatorUrl },
        },
      },
      routes: {
        callback: {
          account: 'acme',
          auth: { type: 'token', secret: 'acme/hook' },
          call: {
            method: 'start.simple_call',
            contact: 'phone',
            params: { first_call: 'operator', operator: '74951234567' },
          },
          max_attempts: 2,
          redial: { ...REDIAL, on: [...CALLBACK_REDIAL_ON] },
          stop_when_customer_calls: true,
          escalate: { when: [...ESCALATE.when], to: ESCALATE.to },
        },
        [ESCALATE.to]: {
          account: 'acme',
          auth: { type: 'token', secret: 'acme/hook' },
          call: {
            method: 'start.simple_call',
            contact: 'phone',
            params: { first_call: 'operator', operator: '74951234568' },
          },
          max_attempts: 2,
          stop_when_customer_calls: true,
        },
        // Two sources of leads for the same people, one group: the callback route's call, through
        // ingest, answered 200 "skipped" when merged.
        ...Object.fromEntries(
          LEAD_ROUTES.map((name) => [
            name,
            {
              account: 'acme',
              auth: { type: 'none' },
              call: {
                method: 'start.simple_call',
                contact: 'phone',
                params: { first_call: 'operator', operator: '74951234567' },
              },
              idempotency_key: 'id',
              on_refusal: 'accept',
              max_attempts: 2,
              redial: { ...REDIAL, on: [...REDIAL.on] },
              group: 'leads',
              contact_window_minutes: WINDOW_MINUTES,
            },
          ]),
        ),
      },
      // Leads through ingest are counted by the cap, runs after runs on three numbers: high
      // enough that it never hides a window's decision.
      per_number_daily_limit: 1000,
    },
    'lifecycle model',
  );

/** A store that crashes (throws) instead of making its next write, when one is armed. */
const crashingStore = (real: Pick<Real, 'writesBeforeCrash'>, inner: CallStore): CallStore => {
  const tick = () => {
    if (real.writesBeforeCrash === undefined) return;
    if (real.writesBeforeCrash === 0) {
      real.writesBeforeCrash = undefined;
      throw new Crash('the process stopped between two writes');
    }
    real.writesBeforeCrash -= 1;
  };
  return {
    create: async (record, now) => {
      tick();
      return inner.create(record, now);
    },
    get: (id) => inner.get(id),
    update: (id, decide, known) =>
      inner.update(
        id,
        (record) => {
          const decided = decide(record);
          if (decided !== undefined) tick();
          return decided;
        },
        known,
      ),
    listDue: (...args) => inner.listDue(...args),
    list: (query) => inner.list(query),
    findBySession: (key) => inner.findBySession(key),
  };
};

const depsOf = (real: Real) => {
  const now = () => new Date(real.clock.ms);
  const queue: DispatchQueue = {
    send: async (message) => {
      real.queue.push(message.call_id);
    },
  };
  const parsed = config(real.simulator.url);
  return {
    config: parsed,
    numbering: numberingForConfig(parsed),
    store: real.store,
    limits: real.limits,
    contacts: real.contacts,
    keptEvents: real.keptEvents,
    contactWindows: real.windows,
    secrets: keySecrets,
    queue,
    connection: { secrets: keySecrets },
    logger: createLogger('lifecycle-model'),
    now,
    timing: { ...SWEEP_TIMING, outcomeAfterMs: MINUTE, pollAfterMs: 30_000 },
    leaseMs: 60_000,
  };
};

/** The simulator's dials of one call, oldest first. */
const dialsOf = (real: Real, callId: string) =>
  real.simulator
    .calls()
    .filter((call) => parseExternalId(String(call.params.external_id))?.callId === callId);

/** Runs `act`; a crash it hit is a restart: whatever was written stays, the rest is lost. */
const surviving = async (act: () => Promise<unknown>): Promise<'crashed' | 'done'> => {
  try {
    await act();
    return 'done';
  } catch (error) {
    if (error instanceof Crash) return 'crashed';
    if (error instanceof ProblemError) return 'done';
    throw error;
  }
};

/** The promises to customers, on what the simulator was asked to dial. */
const checkPromises = async (model: Model, real: Real) => {
  for (const call of model.calls) {
    const dials = dialsOf(real, call.id);
    const ids = dials.map((dial) => String(dial.params.external_id));
    // No attempt is dialled twice.
    expect(new Set(ids).size, `${call.id} dialled an attempt twice: ${ids}`).toBe(ids.length);
    // At most the first, the redials a reported miss allows, and the retries ordered.
    const redialable = call.dials
      .slice(0, -1)
      .filter((dial) => !dial.lost && call.redialOn.includes(dial.fate)).length;
    const stored = await real.raw.get(call.id);
    expect(
      dials.length,
      `${call.id}: ${JSON.stringify(call.dials)}; stored: ${JSON.stringify({ dials: stored?.dials, history: stored?.history })}`,
    ).toBeLessThanOrEqual(1 + Math.min(REDIAL.max, redialable) + call.retries);
    // Nothing after an acknowledged cancel, an operator's or the sender's.
    if (call.dialsAtCancel !== undefined) expect(dials.length).toBe(call.dialsAtCancel);
    if (call.dialsAtSenderCancel !== undefined) {
      expect(dials.length, `${call.id} dialled after the sender's cancel`).toBe(
        call.dialsAtSenderCancel,
      );
    }
    if (call.dialsAtCustomerCall !== undefined) {
      expect(dials.length, `${call.id} dialled after the customer called in`).toBe(
        call.dialsAtCustomerCall,
      );
    }
    if (call.linkedFrom !== undefined && dials.length > 0) {
      // One linked call, one attempt (its route has no redial) and the retries ordered for it,
      // made only once its source's last attempt ended a way the route escalates on.
      expect(dials.length, `${call.id}, escalated, dialled more than once`).toBeLessThanOrEqual(
        1 + call.retries,
      );
      // (An operator may call the source again after: its later attempts are its own.)
      const source = await real.raw.get(call.linkedFrom);
      expect(
        source?.escalation?.made_at,
        `${call.id} dialled, its escalation not made`,
      ).toBeDefined();
      // The current attempt's outcome is the record's; an earlier one's, its entry's.
      const outcomes = [source?.outcome, ...(source?.dials ?? []).map((dial) => dial.outcome)];
      const missed = outcomes.filter((outcome) =>
        (ESCALATE.when as readonly string[]).includes(outcome?.result ?? ''),
      );
      expect(missed.length, `${call.id} escalated from a call that never missed`).toBeGreaterThan(
        0,
      );
    }
  }
  for (const id of model.cancelledAhead) {
    expect(dialsOf(real, id), `${id} dialled after its cancel came first`).toEqual([]);
  }
};

/**
 * Notes which dials a command made, with the fate and the lost reply they got, in the order the
 * simulator took them: a contact's fates go to its dials in that order, whichever of its calls
 * (a lead and a later one, a webhook) each dial was for.
 */
const noteDials = (model: Model, real: Real) => {
  const byId = new Map(model.calls.map((call) => [call.id, call]));
  for (const dial of real.simulator.calls()) {
    const externalId = String(dial.params.external_id);
    const call = byId.get(parseExternalId(externalId)?.callId ?? '');
    if (call === undefined || call.dials.some((known) => known.externalId === externalId)) continue;
    const queued = model.fates.get(call.contact) ?? [];
    const fate = queued.shift() ?? 'no_answer';
    const lost = model.dropArmed && !model.dispatchCrashed;
    call.dials.push({ externalId, fate, lost });
    model.dropArmed = false;
  }
};

type Command = fc.AsyncCommand<Model, Real>;

/**
 * One call per person per group window: the calls of the lead routes (skipped events aside) to
 * one contact are at least the window apart; an event merged into another names a call to the
 * same person made less than the window before it (or one an ingest that crashed never stored).
 */
const checkWindows = async (model: Model, real: Real) => {
  const records = (await Promise.all([...model.leads].map((id) => real.raw.get(id)))).filter(
    (record) => record !== undefined,
  );
  const called = new Map<string, number[]>();
  for (const record of records) {
    const contact = record.request?.params.contact;
    if (record.status === 'skipped' || contact === undefined) continue;
    called.set(contact, [...(called.get(contact) ?? []), Date.parse(record.created_at)]);
    // A call ingest stored is the model's to follow, however its answer was lost.
    if (!model.calls.some((call) => call.id === record.call_id)) {
      model.calls.push({
        id: record.call_id,
        contact,
        redialOn: REDIAL.on,
        retries: 0,
        dials: [],
      });
    }
  }
  for (const [contact, times] of called) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i += 1) {
      expect(
        (times[i] as number) - (times[i - 1] as number),
        `${contact} had two calls of the group within its window`,
      ).toBeGreaterThanOrEqual(WINDOW_MINUTES * MINUTE);
    }
  }
  for (const record of records) {
    if (record.error?.reason !== 'duplicate_contact') continue;
    expect(record.duplicate_of, `${record.call_id} names no call`).toBeDefined();
    const kept = await real.raw.get(String(record.duplicate_of));
    if (kept === undefined) continue;
    expect(kept.status).not.toBe('skipped');
    const since = Date.parse(record.created_at) - Date.parse(kept.created_at);
    expect(since).toBeGreaterThanOrEqual(0);
    expect(since).toBeLessThan(WINDOW_MINUTES * MINUTE);
  }
};

const command = (
  name: string,
  run: (model: Model, real: Real) => Promise<void>,
  check: (model: Model) => boolean = () => true,
): Command => ({
  check,
  run: async (model, real) => {
    await run(model, real);
    noteDials(model, real);
    await checkPromises(model, real);
  },
  toString: () => name,
});

const callAt = (model: Model, index: number) => model.calls[index % model.calls.length];
const someCall = (model: Model) => model.calls.length > 0;

let runs = 0;

/** The event key of webhook `i` in this run, as its route's `idempotency_key` would give it. */
const eventKeyOf = (i: number) => `order-${runs}-${i}`;
const callIdOf = (i: number) => callIdFor('callback', 'route', eventKeyOf(i));

/** The shop's cancelling route names webhook i's order, stored or not. */
const senderCancels = async (model: Model, real: Real, i: number) => {
  const id = callIdOf(i);
  const outcome = await surviving(() =>
    cancelOnSendersWord(depsOf(real), {
      routeName: 'callback-cancelled',
      target: 'callback',
      event: { source: 'route', key: eventKeyOf(i) },
      now: new Date(real.clock.ms),
    }),
  );
  if (outcome === 'crashed') return;
  const call = model.calls.find((known) => known.id === id);
  if (call === undefined) model.cancelledAhead.add(id);
  else call.dialsAtSenderCancel ??= dialsOf(real, id).length;
  // The word names the order: the call its escalation made, or may make, is cancelled too.
  for (const linked of model.calls.filter((known) => known.linkedFrom === id)) {
    linked.dialsAtSenderCancel ??= dialsOf(real, linked.id).length;
  }
};

/** The customer behind webhook i's number rings the account. */
const customerCalls = async (model: Model, real: Real, i: number) => {
  const contact = CONTACTS[i] as string;
  const outcome = await surviving(() => stopForCustomerCall(depsOf(real), 'acme', contact));
  if (outcome === 'crashed') return;
  // Only the callback route (and the route it escalates to) stops when the customer calls; the
  // leads' routes do not.
  const stopping = model.calls.filter(
    (known) => known.contact === contact && !model.leads.has(known.id),
  );
  for (const call of stopping) call.dialsAtCustomerCall ??= dialsOf(real, call.id).length;
};

const commands = [
  fc.integer({ min: 0, max: 2 }).map((i) =>
    command(`Webhook(${i})`, async (model, real) => {
      // A delivery: the first stores the call and queues it, every repeat finds it stored (or
      // the sender's cancel that came first, stored in its place).
      const id = callIdOf(i);
      const record: CallRecord = {
        ...queuedRecord(id, 2),
        route: 'callback',
        account: 'acme',
        created_at: new Date(real.clock.ms).toISOString(),
        updated_at: new Date(real.clock.ms).toISOString(),
        expires_at: Math.floor(real.clock.ms / 1000) + 86_400,
      };
      const contact = CONTACTS[i] as string;
      if (record.request !== undefined) record.request.params.contact = contact;
      // Stored by ingest's own conditional write (crashes are the lifecycle's, after this).
      const linkedId = escalationCallIdFor(ESCALATE.to, id);
      if (record.request !== undefined) {
        // As ingest settles it: the escalation route's request for this event.
        record.escalation = {
          to: ESCALATE.to,
          when: ESCALATE.when,
          call_id: linkedId,
          request: structuredClone(record.request),
        };
      }
      const created = await real.raw.create(record, new Date(real.clock.ms));
      if (created.created) {
        // Counted for its number, as ingest's cap counts it: how an inbound call finds it.
        await real.contacts.admit(contact, id, new Date(real.clock.ms), 50);
        real.queue.push(id);
        model.calls.push({ id, contact, redialOn: CALLBACK_REDIAL_ON, retries: 0, dials: [] });
        // The call its escalation may make: followed from now, so that a stop word for this
        // one holds for it too, made or not.
        model.calls.push({
          id: linkedId,
          contact,
          linkedFrom: id,
          redialOn: [],
          retries: 0,
          dials: [],
        });
      }
    }),
  ),
  fc
    .record({
      i: fc.integer({ min: 0, max: 2 }),
      route: fc.constantFrom(...LEAD_ROUTES),
      key: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ i, route, key }) =>
      command(`Lead(${i}, ${route}, ${key})`, async (model, real) => {
        // A second source for the same person: through ingest, on a route of the group. The
        // same key on the same route is another delivery of one event; with another contact,
        // a conflict (409).
        const id = `${runs}-${key}`;
        const callId = callIdFor(route, 'route', id);
        model.leads.add(callId);
        const body = Buffer.from(JSON.stringify({ id, phone: `+${CONTACTS[i]}` }));
        let answer: Awaited<ReturnType<typeof acceptWebhook>> | undefined;
        const outcome = await surviving(async () => {
          answer = await acceptWebhook(depsOf(real), route, {
            headers: { 'content-type': 'application/json' },
            query: {},
            body,
          });
        });
        await checkWindows(model, real);
        const merged = answer?.body;
        if (
          outcome === 'done' &&
          merged !== undefined &&
          merged.status === 'skipped' &&
          merged.reason === 'duplicate_contact' &&
          !merged.duplicate
        ) {
          // Linked both ways: the merged event wrote its line on the call it names, if stored.
          const kept = await real.raw.get(String(merged.duplicate_of));
          if (kept !== undefined) {
            expect(kept.history.map((entry) => entry.reason).join('\n')).toContain(callId);
          }
        }
      }),
    ),
  fc.constant(
    command(
      'Dispatch',
      async (model, real) => {
        const id = real.queue.shift();
        if (id === undefined) return;
        let result: Awaited<ReturnType<typeof dispatchCall>> | undefined;
        const outcome = await surviving(async () => {
          result = await dispatchCall(depsOf(real), id);
        });
        model.dispatchCrashed = outcome === 'crashed';
        // A message whose handler crashed, or that asks to come later, is delivered again.
        if (outcome === 'crashed' || result?.kind === 'later') real.queue.push(id);
      },
      (model) => model.calls.length > 0,
    ),
  ),
  fc.record({ i: fc.nat(), fate: fc.constantFrom(...FATES) }).map(({ i, fate }) =>
    command(
      `Fate(${i}, ${fate})`,
      async (model, real) => {
        const call = callAt(model, i);
        if (call === undefined) return;
        real.simulator.setOutcome({ contact: call.contact, fate, times: 1 });
        model.fates.set(call.contact, [...(model.fates.get(call.contact) ?? []), fate]);
      },
      someCall,
    ),
  ),
  fc.constant(
    command('LoseNextReply', async (model, real) => {
      if (model.dropArmed) return;
      real.simulator.injectFault({
        fault: { mode: 'drop_after' },
        method: 'start.simple_call',
        times: 1,
      });
      model.dropArmed = true;
    }),
  ),
  fc.constantFrom(5_000, MINUTE + 1_000, 11 * MINUTE).map((ms) =>
    command(`Advance(${ms})`, async (_model, real) => {
      real.clock.ms += ms;
    }),
  ),
  fc.constant(
    command('Sweep', async (_model, real) => {
      await surviving(() => sweep(depsOf(real)));
    }),
  ),
  fc
    .record({
      i: fc.nat(),
      which: fc.constantFrom('current', 'earlier', 'stranger'),
      kind: fc.constantFrom('answered', 'ended'),
      repeats: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ i, which, kind, repeats }) =>
      command(
        `Notify(${i}, ${which}, ${kind} ×${repeats})`,
        async (model, real) => {
          const call = callAt(model, i);
          if (call === undefined) return;
          const dials = dialsOf(real, call.id);
          const dial = which === 'earlier' ? dials.at(-2) : dials.at(-1);
          if (dial === undefined) return;
          const event: ProviderEvent = {
            event: kind,
            call_session_id:
              which === 'stranger' ? dial.call_session_id + 7_777_777 : dial.call_session_id,
            ...(which !== 'stranger' && { external_id: String(dial.params.external_id) }),
          };
          const before = await real.raw.get(call.id);
          for (let n = 0; n < repeats; n += 1) {
            await surviving(() => recordProviderEvent(depsOf(real), 'acme', event));
          }
          const after = await real.raw.get(call.id);
          const named = parseExternalId(String(dial.params.external_id));
          const current = before?.attempt ?? 1;
          if (which !== 'current' && named !== undefined && named.attempt !== current) {
            // A word about another attempt never moves the call, nor its current attempt.
            expect(after?.status).toBe(before?.status);
            expect(after?.attempt).toBe(before?.attempt);
            expect(after?.dials?.find((d) => d.attempt === current)).toEqual(
              before?.dials?.find((d) => d.attempt === current),
            );
          }
          if (which === 'stranger') expect(after).toEqual(before);
        },
        someCall,
      ),
    ),
  fc.nat().map((i) =>
    command(
      `Cancel(${i})`,
      async (model, real) => {
        const call = callAt(model, i);
        if (call === undefined) return;
        try {
          await cancelCall(depsOf(real), call.id, { requestId: `cancel-${i}` });
          call.dialsAtCancel ??= dialsOf(real, call.id).length;
        } catch (error) {
          if (!(error instanceof ProblemError || error instanceof Crash)) throw error;
        }
      },
      someCall,
    ),
  ),
  fc.nat().map((i) =>
    command(
      `SlowReportCrossedByCancel(${i})`,
      async (model, real) => {
        const call = callAt(model, i);
        if (call === undefined) return;
        // Time enough for the report to be due; the look is held at the provider while an
        // operator cancels: the cancel starts once the sweeper has asked for the report (the
        // Data API point it takes is the sign), and both finish in whichever order they may.
        real.clock.ms += MINUTE + 1_000;
        real.simulator.injectFault({
          fault: { mode: 'delay', ms: 300 },
          method: 'get.calls_report',
          times: 1,
        });
        let looked!: () => void;
        const lookStarted = new Promise<void>((resolve) => {
          looked = resolve;
        });
        const limits = real.limits;
        const watched = Object.create(limits) as DynamoDbLimitsStore;
        watched.reserve = async (account, points, now) => {
          const reserved = await limits.reserve(account, points, now);
          if (account.endsWith('#dataapi')) looked();
          return reserved;
        };
        const swept = surviving(() => sweep({ ...depsOf(real), limits: watched })).finally(looked);
        const [, cancelled] = await Promise.allSettled([
          swept,
          lookStarted.then(() => cancelCall(depsOf(real), call.id, { requestId: `race-${i}` })),
        ]);
        // Its delay is left to lapse on a later look: clearing faults would also drop a lost
        // reply the model has armed.
        if (cancelled.status === 'fulfilled') call.dialsAtCancel ??= dialsOf(real, call.id).length;
        else if (!(cancelled.reason instanceof ProblemError || cancelled.reason instanceof Crash))
          throw cancelled.reason;
      },
      someCall,
    ),
  ),
  fc
    .integer({ min: 0, max: 2 })
    .map((i) => command(`SenderCancel(${i})`, (model, real) => senderCancels(model, real, i))),
  fc
    .integer({ min: 0, max: 2 })
    .map((i) => command(`CustomerCalls(${i})`, (model, real) => customerCalls(model, real, i))),
  fc
    .record({ i: fc.integer({ min: 0, max: 2 }), word: fc.constantFrom('sender', 'customer') })
    .map(({ i, word }) =>
      command(`StopWhileEscalating(${i}, ${word})`, async (model, real) => {
        // What is queued is dialled, and a report look settles it (its escalation due, if it
        // ended so); then the sweeper that makes the linked call and the stop word run at once.
        for (let n = real.queue.length; n > 0; n -= 1) {
          const id = real.queue.shift() as string;
          if ((await surviving(() => dispatchCall(depsOf(real), id))) === 'crashed') {
            real.queue.push(id);
          }
        }
        noteDials(model, real);
        // Past the call's end and its first report look (two minutes after it was placed).
        real.clock.ms += 2 * MINUTE + 1_000;
        await surviving(() => sweep(depsOf(real)));
        await Promise.all([
          surviving(() => sweep(depsOf(real))),
          word === 'sender' ? senderCancels(model, real, i) : customerCalls(model, real, i),
        ]);
      }),
    ),
  fc.nat().map((i) =>
    command(
      `Retry(${i})`,
      async (model, real) => {
        const call = callAt(model, i);
        if (call === undefined) return;
        try {
          await retryCall(depsOf(real), call.id, { requestId: `retry-${i}` });
          call.retries += 1;
        } catch (error) {
          if (error instanceof Crash) {
            // Crashed before or after its write: the store says whether it was ordered.
            return;
          }
          if (!(error instanceof ProblemError)) throw error;
        }
      },
      someCall,
    ),
  ),
  fc.record({ i: fc.nat(), confirmTalked: fc.boolean() }).map(({ i, confirmTalked }) =>
    command(
      `CallAgain(${i}${confirmTalked ? ', talked confirmed' : ''})`,
      async (model, real) => {
        const call = callAt(model, i);
        if (call === undefined) return;
        const before = await real.raw.get(call.id);
        try {
          await callAgain(depsOf(real), call.id, { requestId: `again-${i}` }, { confirmTalked });
          call.retries += 1;
          // An operator's later order: it follows an operator's cancel (a released call), never
          // the sender's cancel or the customer's own call, which stay promises.
          delete call.dialsAtCancel;
          // Only a completed call, never one that talked unless confirmed: the record it was
          // decided on is at least as new as the one read before.
          expect(before?.status).toBe('completed');
          if (!confirmTalked && before !== undefined) expect(reachedCustomer(before)).toBe(false);
        } catch (error) {
          // A crash stops it before its write: nothing was ordered.
          if (!(error instanceof ProblemError || error instanceof Crash)) throw error;
        }
      },
      someCall,
    ),
  ),
  fc.nat().map((i) =>
    command(
      `Abandon(${i})`,
      async (model, real) => {
        const call = callAt(model, i);
        if (call === undefined) return;
        await surviving(() => abandonCall(depsOf(real), call.id, { requestId: `abandon-${i}` }));
      },
      someCall,
    ),
  ),
  fc.constantFrom('http_502', 'internal_error').map((mode) =>
    command(`ReportFails(${mode})`, async (_model, real) => {
      real.simulator.injectFault({ fault: { mode }, method: 'get.calls_report', times: 2 });
    }),
  ),
  fc.integer({ min: 0, max: 2 }).map((writes) =>
    command(`CrashAfter(${writes} writes)`, async (_model, real) => {
      real.writesBeforeCrash = writes;
    }),
  ),
];

describe.each(DYNAMO_ENGINES)('The call lifecycle as a model, on $name', (engine) => {
  let table: Awaited<ReturnType<typeof startCallsTable>>;
  let simulator: RunningSimulator;
  let contacts: DynamoDbContactCapStore;
  let windows: DynamoDbContactWindowStore;
  let keptEvents: DynamoDbKeptEvents;
  const clock = { ms: Date.parse('2026-12-07T10:00:00.000Z') };
  beforeAll(async () => {
    table = await startCallsTable(engine.start);
    simulator = await startSimulator({
      keys: { key: 'valid' },
      virtualNumbers: ['74993720692'],
      now: () => clock.ms,
      // A call lasts 20 s of the test's clock: a look for a lost one soon after finds it going,
      // a cancel a minute later finds it over.
      callDurationMs: 20_000,
      dataApi: { keys: { key: 'valid' } },
    });
    contacts = new DynamoDbContactCapStore({
      tableName: 'contacts',
      clientConfig: table.clientConfig,
      hashKey: async () => 'a-test-hash-key-of-16+',
    });
    keptEvents = new DynamoDbKeptEvents({ tableName: 'calls', clientConfig: table.clientConfig });
    windows = new DynamoDbContactWindowStore({
      tableName: 'contacts',
      clientConfig: table.clientConfig,
      hashKey: async () => 'a-test-hash-key-of-16+',
    });
  });
  afterAll(async () => {
    await simulator.close();
    await table.close();
  });

  it('rings no customer more than the route allows, whatever interleaves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), async (cmds) => {
        runs += 1;
        // Each run starts after the contact windows of the one before: a failed run (which
        // fast-check then shrinks) never gets to the settling that ends them.
        clock.ms += WINDOW_MINUTES * MINUTE;
        simulator.clearFaults();
        simulator.clearOutcomes();
        const real: Real = {
          store: table.store,
          limits: table.limits,
          raw: table.store,
          simulator,
          contacts,
          windows,
          keptEvents,
          queue: [],
          clock,
        };
        real.store = crashingStore(real, table.store);
        const model: Model = {
          calls: [],
          fates: new Map(),
          dropArmed: false,
          dispatchCrashed: false,
          cancelledAhead: new Set(),
          leads: new Set(),
        };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        // Then time passes with nothing else happening: every call settles, or waits for an
        // operator with nothing due.
        real.writesBeforeCrash = undefined;
        simulator.clearFaults();
        model.dropArmed = false;
        model.dispatchCrashed = false;
        for (let round = 0; round < 12; round += 1) {
          clock.ms += 11 * MINUTE;
          await sweep(depsOf(real));
          while (real.queue.length > 0) {
            const id = real.queue.shift() as string;
            await dispatchCall(depsOf(real), id);
          }
          noteDials(model, real);
        }
        await checkPromises(model, real);
        for (const call of model.calls) {
          const record = await table.store.get(call.id);
          // An escalation never made: there is no call to settle.
          if (record === undefined && call.linkedFrom !== undefined) continue;
          const settled =
            ['completed', 'failed', 'cancelled'].includes(record?.status ?? '') ||
            (record?.status === 'unknown' && record.sweep_at === undefined);
          expect(settled, `${call.id} ended ${record?.status}: ${JSON.stringify(record)}`).toBe(
            true,
          );
        }
      }),
      {
        // DynamoDB Local answers slower: fewer runs there, the same commands.
        numRuns: engine.name === 'dynalite' ? 100 : 30,
        verbose: 1,
        ...(process.env.MODEL_SEED !== undefined && { seed: Number(process.env.MODEL_SEED) }),
      },
    );
  }, 240_000);
});
