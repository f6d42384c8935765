import { afterEach, describe, expect, it, vi } from 'vitest';
import { JaicpBackend } from '../../shared/backends/jaicp/jaicp-backend.ts';
import type { CallRecord } from '../../shared/calls/call-record.ts';

const CALL_ID = 'c_0123456789abcdef0123456789abcdef';

/** A fake JAICP that answers every `addPhones` with job 5001 and keeps what it was sent. */
const stubJaicp = () => {
  const sent: { key: string | undefined; jobs: Record<string, unknown>[] }[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    sent.push({ key: headers['Idempotence-Key'], jobs: JSON.parse(String(init.body)) });
    return new Response('[5001]', { status: 200 });
  });
  return sent;
};

const backend = () =>
  new JaicpBackend(
    {
      backend: 'jaicp',
      provider: 'jaicp',
      base_url: 'https://jaicp.test',
      secret: 'bot/token',
    } as never,
    { secrets: { get: async () => 'campaign-token' } },
  );

const record = (patch: Partial<CallRecord>): CallRecord =>
  ({
    call_id: CALL_ID,
    route: 'r',
    account: 'bot',
    status: 'dialing',
    request: {
      method: 'jaicp.addPhones',
      params: {
        contact: '79260000000',
        gmtZone: 'Europe/Moscow',
        allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
        allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '18:00' }] },
        holidays: ['2026-11-04'],
      },
    },
    fingerprint: 'f',
    attempts: 1,
    max_attempts: 3,
    history: [],
    version: 2,
    created_at: '2026-11-03T09:00:00.000Z',
    updated_at: '2026-11-03T09:00:01.000Z',
    expires_at: 0,
    ...patch,
  }) as CallRecord;

describe('Class: JaicpBackend (adding the job)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("keys the first attempt's job by the call id", async () => {
    const sent = stubJaicp();

    const placement = await backend().place(record({}));

    expect(placement).toEqual({ backendId: '5001' });
    expect(sent.map((request) => request.key)).toEqual([CALL_ID]);
  });

  it("keys a later attempt's job by that attempt's external id, the same at each resend", async () => {
    const sent = stubJaicp();

    await backend().place(record({ redials: 1 }));
    await backend().find(record({ redials: 1 }));
    await backend().place(record({ redials: 2 }));

    expect(sent.map((request) => request.key)).toEqual([
      `${CALL_ID}-2`,
      `${CALL_ID}-2`,
      `${CALL_ID}-3`,
    ]);
  });

  it('reads the holidays from the moment the record was last written (its claim), not its acceptance', async () => {
    const sent = stubJaicp();

    // Accepted Tuesday 12:00 in Moscow, claimed on Wednesday, a holiday, at 12:00.
    await backend().place(record({ updated_at: '2026-11-04T09:00:00.000Z' }));

    expect(sent[0]?.jobs[0]).toMatchObject({ startDateTime: '2026-11-05T06:00:00.000Z' });
    expect(sent[0]?.jobs[0]).not.toHaveProperty('holidays');
  });
});
