import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../shared/backends/backend-error.ts';
import {
  JaicpClient,
  JobId,
  JobIds,
  JobReports,
} from '../../shared/backends/jaicp/jaicp-client.ts';
import { progressOf } from '../../shared/backends/jaicp/job-status.ts';
import { jaicpFailure } from '../../shared/backends/jaicp/probe.ts';
import { UNREADABLE_REPLY } from '../../shared/backends/unreadable-reply.ts';
import { MAX_CALL_SECONDS, MAX_EPOCH_MS } from '../../shared/validation/provider-numbers.ts';

const PHONE = '79260000000';

/** A report as JAICP's JSON text gives it, with `fields` (JSON text) replacing any. */
const reportText = (fields: Record<string, string> = {}): string => {
  const row: Record<string, string> = {
    id: '5001',
    phone: `"${PHONE}"`,
    jobStatus: '"longCallWithResult"',
    startedAt: '1764000000000',
    finishedAt: '1764000042000',
    callDuration: '42',
    ...fields,
  };
  return `[{${Object.entries(row)
    .map(([name, value]) => `"${name}": ${value}`)
    .join(', ')}}]`;
};
const reports = (fields: Record<string, string> = {}) =>
  JobReports.safeParse(JSON.parse(reportText(fields)));

describe('Schemas: JAICP replies (ranges)', () => {
  it.each([
    [1, '1'],
    [5001, '5001'],
    ['5001', '5001'],
    [Number.MAX_SAFE_INTEGER, String(Number.MAX_SAFE_INTEGER)],
  ])('reads the job id %j as %s', (id, text) => {
    expect(JobId.parse(id)).toBe(text);
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['fractional', 5001.5],
    ['beyond 2^53', 2 ** 53],
    ['1e300', 1e300],
    ['a string past 2^53', '9007199254740993'],
    ['a string of 400 digits', '9'.repeat(400)],
    ['a string of no digits', 'job-1'],
    ['an empty string', ''],
  ])('refuses a job id that is %s', (_, id) => {
    expect(JobId.safeParse(id).success).toBe(false);
    expect(JobIds.safeParse([id]).success).toBe(false);
  });

  it.each([0, 42, MAX_CALL_SECONDS])('reads a callDuration of %d', (seconds) => {
    const parsed = reports({ callDuration: `${seconds}` });

    expect(parsed.success && parsed.data[0]?.callDuration).toBe(seconds);
  });

  it.each([
    ['just past 7 days', `${MAX_CALL_SECONDS + 1}`],
    ['negative', '-1'],
    ['1e300', '1e300'],
    ['past the float range', '1e400'],
  ])('refuses a callDuration that is %s', (_, text) => {
    expect(reports({ callDuration: text }).success).toBe(false);
  });

  it.each([0, 1_764_000_042_000, MAX_EPOCH_MS])('reads a finishedAt of %d', (ms) => {
    const parsed = reports({ finishedAt: `${ms}` });

    expect(parsed.success && parsed.data[0]?.finishedAt).toBe(ms);
  });

  it.each([
    ['just past 2100', `${MAX_EPOCH_MS + 1}`],
    ['negative', '-1'],
    ['fractional', '1764000042000.5'],
    ['1e300', '1e300'],
    ['past the float range', '1e400'],
  ])('refuses a finishedAt that is %s', (_, text) => {
    expect(reports({ finishedAt: text }).success).toBe(false);
  });

  it.each(['planned', 'inProcess', 'onRetry'])(
    'reads a %s job that reports its end and duration as null, as pending',
    (jobStatus) => {
      const parsed = reports({
        jobStatus: `"${jobStatus}"`,
        startedAt: 'null',
        finishedAt: 'null',
        callDuration: 'null',
      });
      if (!parsed.success) throw new Error('unreadable');
      const [report] = parsed.data;
      if (report === undefined) throw new Error('no report');

      expect(progressOf(report)).toMatchObject({ state: 'pending' });
    },
  );

  it('reads a finished job with no end as completed, without an end time', () => {
    const parsed = reports({ finishedAt: 'null', callDuration: 'null' });
    if (!parsed.success) throw new Error('unreadable');
    const [report] = parsed.data;
    if (report === undefined) throw new Error('no report');

    const progress = progressOf(report);

    expect(progress).toMatchObject({ state: 'completed', outcome: { answered: true, talk_s: 0 } });
    expect(progress).not.toHaveProperty('outcome.ended_at');
    expect(progress).not.toHaveProperty('outcome.duration_s');
  });
});

describe('Class: JaicpClient (a reply out of range)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const answering = (text: string) =>
    vi.stubGlobal('fetch', async () => new Response(text, { status: 200 }));
  const client = () => new JaicpClient({ baseUrl: 'https://jaicp.test', token: 'campaign-token' });
  const failureOf = async (promise: Promise<unknown>): Promise<BackendError> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof BackendError)) throw new Error(`expected a BackendError: ${error}`);
    return error;
  };

  it('reads a planned job whose finishedAt is null', async () => {
    answering(reportText({ jobStatus: '"planned"', finishedAt: 'null', callDuration: 'null' }));

    const read = await client().post('callJob/getReport', { ids: [5001] }, JobReports);

    expect(read).toEqual([
      expect.objectContaining({ id: '5001', jobStatus: 'planned', finishedAt: null }),
    ]);
  });

  it.each([
    ['callDuration', '1e300'],
    ['finishedAt', '-1'],
    ['id', '0'],
  ])('refuses a report whose %s is %s as an ambiguous unreadable reply', async (field, text) => {
    answering(reportText({ [field]: text }));

    const error = await failureOf(client().post('callJob/getReport', { ids: [5001] }, JobReports));

    expect(error).toMatchObject({
      classification: 'ambiguous',
      mnemonic: UNREADABLE_REPLY,
      field: `reply[0].${field}`,
    });
    expect(error.message).toMatch(
      new RegExp(`^JAICP callJob/getReport: unreadable reply: reply\\[0\\]\\.${field}: `),
    );
    expect(error.message).not.toContain(PHONE);
    expect(error.message).not.toContain('campaign-token');
  });

  it('refuses an addPhones reply whose job id is 1e300', async () => {
    answering('[1e300]');

    const error = await failureOf(client().post('addPhones', [{ phone: PHONE }], JobIds));

    expect(error).toMatchObject({
      classification: 'ambiguous',
      mnemonic: UNREADABLE_REPLY,
      field: 'reply[0]',
    });
  });

  it('keeps the ambiguous class for a reply that is not JSON', async () => {
    answering('<html>maintenance</html>');

    const error = await failureOf(client().post('addPhones', [{ phone: PHONE }], JobIds));

    expect(error).toMatchObject({
      classification: 'ambiguous',
      mnemonic: UNREADABLE_REPLY,
      field: 'reply',
    });
  });

  it('is, for the probe, still a reply that is not the API (unexpected_reply)', async () => {
    answering('[{"id": 1e300, "jobStatus": "planned"}]');

    const error = await failureOf(client().post('callJob/getReport', { ids: [] }, JobReports));

    expect(jaicpFailure(error)).toEqual({
      status: 'failed',
      error: 'unexpected_reply',
      detail: error.message,
    });
  });
});
