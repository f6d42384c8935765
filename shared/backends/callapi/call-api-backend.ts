import { currentExternalId } from '../../calls/attempts.ts';
import type { CallRecord } from '../../calls/call-record.ts';
import { BackendError } from '../backend-error.ts';
import { isRequestOf } from '../backend-request.ts';
import type { CallBackend, Lookup, Placement, StopOutcome } from '../call-backend.ts';
import type { ConnectionSettings } from '../connection.ts';
import type { ReportBudget, ReportedAttempt, ReportQuery } from '../outcome-reports.ts';
import { CallApiError } from './api/call-api-error.ts';
import { CALL_METHODS, type CallApiRequest } from './api/call-params.ts';
import { connectAccount } from './call-api-connection.ts';
import { readCallApiReport } from './call-api-reports.ts';
import { CALL_API_CAPABILITIES } from './call-api-traits.ts';
import type { CallApiAccountConfig } from './config.ts';

/** The Call API (CallGear, UIS, CoMagic, Novofon) as a call backend. */
export class CallApiBackend implements CallBackend {
  readonly idempotent = CALL_API_CAPABILITIES.idempotent;
  readonly ownsCallingWindow = CALL_API_CAPABILITIES.ownsCallingWindow;
  readonly pointsPerCall: number;
  /**
   * What one `list.calls` costs. The Call API documents no weight per method; 1 is the least a
   * charged request costs, and every reply's `metadata.limits` corrects the budget.
   */
  readonly pointsPerLookup = 1;
  readonly #account: CallApiAccountConfig;
  readonly #settings: ConnectionSettings;

  constructor(account: CallApiAccountConfig, settings: ConnectionSettings) {
    this.#account = account;
    this.#settings = settings;
    this.pointsPerCall = account.points_per_call;
  }

  /**
   * Sends the stored request with the attempt's `external_id` (the call id, on the first), so
   * the call can be found again, and each redial told apart in the reports.
   */
  async place(record: CallRecord): Promise<Placement> {
    const connection = await this.#connect();
    if (!isRequestOf<CallApiRequest>(CALL_METHODS, record.request)) {
      throw new BackendError({ classification: 'config', message: 'not a Call API request' });
    }
    const { method, params } = record.request;
    const reply = await connection.call(method, {
      ...params,
      external_id: currentExternalId(record),
    });
    const sessionId = reply.result.data.call_session_id;
    return {
      backendId: String(sessionId),
      callSessionId: sessionId,
      ...(reply.limits !== undefined && { limits: reply.limits }),
    };
  }

  /** `list.calls` shows the account's active calls with their `external_id`. */
  async find(record: CallRecord): Promise<Lookup> {
    const connection = await this.#connect();
    const { result, limits } = await connection.call('list.calls', {});
    const externalId = currentExternalId(record);
    const sessionId = result.data.find((call) => call.external_id === externalId)?.call_session_id;
    return {
      placement:
        sessionId === undefined
          ? undefined
          : { backendId: String(sessionId), callSessionId: sessionId },
      ...(limits !== undefined && { limits }),
    };
  }

  /** `release.call` hangs up an active call; a session the provider no longer knows is over. */
  async stop(record: CallRecord): Promise<StopOutcome> {
    if (record.call_session_id === undefined) return 'already_over';
    const connection = await this.#connect();
    try {
      await connection.call('release.call', { call_session_id: record.call_session_id });
      return 'hung_up';
    } catch (error) {
      if (error instanceof CallApiError && error.mnemonic === 'call_session_not_found') {
        return 'already_over';
      }
      throw error;
    }
  }

  /** The account's Data API reports, where it has a key (`followUp` is then `report`). */
  readReport(query: ReportQuery, budget: ReportBudget): Promise<ReportedAttempt> {
    return readCallApiReport(this.#account, this.#settings, query, budget);
  }

  /**
   * Nothing is sent when the account cannot be connected: the provider cannot have acted. An
   * unusable secret keeps its own classification (config): retrying cannot fix it.
   */
  async #connect() {
    try {
      return await connectAccount(this.#account, this.#settings);
    } catch (error) {
      if (error instanceof BackendError) throw error;
      throw new BackendError(
        {
          classification: 'unreachable',
          message: error instanceof Error ? error.message : 'not sent',
        },
        { cause: error },
      );
    }
  }
}
