import { currentExternalId } from '../../calls/attempts.ts';
import type { CallRecord } from '../../calls/call-record.ts';
import * as z from '../../validation/zod.ts';
import { BackendError } from '../backend-error.ts';
import { isRequestOf } from '../backend-request.ts';
import type { CallBackend, Lookup, Placement, Progress, StopOutcome } from '../call-backend.ts';
import { accountSecret, type ConnectionSettings } from '../connection.ts';
import type { JaicpAccountConfig } from './config.ts';
import { JaicpClient, JobId, JobIds, JobReports } from './jaicp-client.ts';
import { toJob } from './jaicp-job.ts';
import type { JaicpRequest } from './jaicp-request.ts';
import { JAICP_CAPABILITIES, JAICP_METHODS, JAICP_SECRET_SHAPE } from './jaicp-traits.ts';
import { progressOf } from './job-status.ts';

/** A JAICP call campaign as a call backend (see `JAICP` in `jaicp.ts`). */
export class JaicpBackend implements CallBackend {
  readonly idempotent = JAICP_CAPABILITIES.idempotent;
  readonly ownsCallingWindow = JAICP_CAPABILITIES.ownsCallingWindow;
  readonly pointsPerCall = undefined;
  readonly pointsPerLookup = undefined;
  readonly #account: JaicpAccountConfig;
  readonly #settings: ConnectionSettings;

  constructor(account: JaicpAccountConfig, settings: ConnectionSettings) {
    this.#account = account;
    this.#settings = settings;
  }

  async place(record: CallRecord): Promise<Placement> {
    if (!isRequestOf<JaicpRequest>(JAICP_METHODS, record.request)) {
      throw new BackendError({ classification: 'config', message: 'not a JAICP request' });
    }
    const client = await this.#client();
    // The holidays are read from the record's last write: for a placement, the dispatcher's
    // claim, just before this request and so never after JAICP receives it (`toJob`). The key
    // is the current attempt's: a resend of it returns its job, a new attempt adds a new one.
    const [jobId] = await client.post(
      'addPhones',
      [toJob(record.request.params, record.created_at, record.updated_at)],
      JobIds,
      {
        'Idempotence-Key': currentExternalId(record),
      },
    );
    return { backendId: jobId as string };
  }

  /** The same key returns the job the lost request created, and creates none. */
  async find(record: CallRecord): Promise<Lookup> {
    return { placement: await this.place(record) };
  }

  async progress(record: CallRecord): Promise<Progress> {
    if (record.backend_id === undefined) return { state: 'pending', dialling: false };
    const client = await this.#client();
    const reports = await client.post(
      'callJob/getReport',
      { ids: [Number(record.backend_id)] },
      JobReports,
    );
    const report = reports.find((entry) => entry.id === record.backend_id);
    return report === undefined ? { state: 'pending', dialling: false } : progressOf(report);
  }

  async stop(record: CallRecord): Promise<StopOutcome> {
    if (record.backend_id === undefined) return 'already_over';
    const client = await this.#client();
    const cancelled = await client.post(
      'callJob/cancel',
      { ids: [Number(record.backend_id)] },
      z.array(JobId),
    );
    return cancelled.includes(record.backend_id) ? 'cancelled' : 'already_over';
  }

  async #client(): Promise<JaicpClient> {
    const account = this.#account;
    const baseUrl =
      account.provider === 'simulator' ? this.#settings.simulatorUrls?.jaicp : account.base_url;
    if (baseUrl === undefined) {
      throw new BackendError({
        classification: 'unreachable',
        message: 'the JAICP simulator exists only locally',
      });
    }
    const token = await accountSecret(this.#settings, account.secret, JAICP_SECRET_SHAPE);
    return new JaicpClient({ baseUrl, token: token.trim() });
  }
}
