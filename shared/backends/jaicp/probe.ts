import { BackendError } from '../backend-error.ts';
import { accountSecret, type ConnectionSettings } from '../connection.ts';
import type { ProbeOutcome } from '../probe/probe-report.ts';
import { unexpectedFailure } from '../probe/unexpected-failure.ts';
import { UNREADABLE_REPLY } from '../unreadable-reply.ts';
import type { JaicpAccountConfig } from './config.ts';
import { JaicpClient, JobReports } from './jaicp-client.ts';
import { JAICP_SECRET_SHAPE } from './jaicp-traits.ts';

/** What a failed JAICP request says about the campaign, from the HTTP status the client kept. */
export const jaicpFailure = (error: unknown): ProbeOutcome => {
  if (!(error instanceof BackendError)) return unexpectedFailure(error);
  // An answer the client could not read (its `unreadable_reply`): not the backend's API.
  if (error.mnemonic === UNREADABLE_REPLY) {
    return { status: 'failed', error: 'unexpected_reply', detail: error.message };
  }
  if (error.mnemonic !== undefined) {
    return { status: 'failed', error: error.mnemonic, detail: error.message };
  }
  const status = error.code;
  if (status === undefined) {
    // The client keeps the fetch error as the cause of a request that got no answer (refused,
    // DNS, TLS, the timeout).
    return error.cause === undefined
      ? { status: 'failed', error: 'unexpected_reply', detail: error.message }
      : { status: 'unreachable', detail: error.message };
  }
  // The token in the path is the campaign's only credential: JAICP answers an unknown one with
  // 401, 403 or 404 (its docs name no status; the adapter treats all three as a refusal).
  if (status === 401 || status === 403 || status === 404) {
    return { status: 'auth_failed', error: `http_${status}`, detail: error.message };
  }
  return { status: 'failed', error: `http_${status}`, detail: error.message };
};

/**
 * One `callJob/getReport` for no job: it reads nothing and changes nothing (adding a phone would
 * queue a call, cancelling would need a job), and JAICP checks the campaign token on every
 * request, so the answer is about the token and the way to the host alone. JAICP has no IP
 * whitelist ("access control is checked by the token only"), so a JAICP account is never
 * `ip_not_whitelisted`.
 */
export const probeJaicp = async (
  account: JaicpAccountConfig,
  settings: ConnectionSettings,
): Promise<ProbeOutcome> => {
  const baseUrl =
    account.provider === 'simulator' ? settings.simulatorUrls?.jaicp : account.base_url;
  if (baseUrl === undefined) {
    return {
      status: 'failed',
      error: 'no_endpoint',
      detail: 'the JAICP simulator exists only locally',
    };
  }
  try {
    const token = await accountSecret(settings, account.secret, JAICP_SECRET_SHAPE);
    const client = new JaicpClient({ baseUrl, token: token.trim() });
    const reports = await client.post('callJob/getReport', { ids: [] }, JobReports);
    return { status: 'ok', detail: `callJob/getReport answered (${reports.length} report(s))` };
  } catch (error) {
    return jaicpFailure(error);
  }
};
