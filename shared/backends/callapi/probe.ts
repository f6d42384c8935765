import { BackendError } from '../backend-error.ts';
import type { ConnectionSettings } from '../connection.ts';
import type { ProbeOutcome } from '../probe/probe-report.ts';
import { unexpectedFailure } from '../probe/unexpected-failure.ts';
import { connectAccount } from './call-api-connection.ts';
import type { CallApiAccountConfig } from './config.ts';

/** "Your IP {ip} is not whitelisted": the catalogue's text, for a reply without `params.ip`. */
const SEEN_IP = /Your IP (\S+) is not whitelisted/;

const seenIpOf = (error: BackendError): string | undefined => {
  const ip = error.params?.ip;
  return typeof ip === 'string' ? ip : SEEN_IP.exec(error.message)?.[1];
};

/*
 * The transport's failures that mean no reply came at all, as `jsonrpc/transport.ts`
 * words them: after sending, the dispatcher must treat them as `ambiguous` (the provider may have
 * acted), but for a read-only probe they say the same as a refused connection: out of reach.
 */
const NO_REPLY = /^(no reply within|connection failed after sending|reply broken off)/;

/** What a failed Call API request says about the account, by the client's own classification. */
export const callApiFailure = (error: unknown): ProbeOutcome => {
  if (!(error instanceof BackendError)) return unexpectedFailure(error);
  const named = error.mnemonic === undefined ? {} : { error: error.mnemonic };
  if (error.mnemonic === 'ip_not_whitelisted') {
    const seen = seenIpOf(error);
    return {
      status: 'ip_not_whitelisted',
      detail: error.message,
      ...named,
      ...(seen !== undefined && { seen_ip: seen }),
    };
  }
  // -32001: the catalogue's authentication errors (access_token_expired, access_token_blocked,
  // access_token_invalid, auth_error), whether a permanent key or login.user was refused.
  if (error.code === -32001) return { status: 'auth_failed', detail: error.message, ...named };
  if (
    error.classification === 'unreachable' ||
    (error.classification === 'ambiguous' &&
      error.code === undefined &&
      NO_REPLY.test(error.message))
  ) {
    // A secret that cannot be read is `config`, not `unreachable`; only the network is here.
    return { status: 'unreachable', detail: error.message };
  }
  if (error.classification === 'ambiguous' && error.code === undefined) {
    // An answer, but not a JSON-RPC one: an HTTP 5xx, a proxy's page, another service.
    return { status: 'failed', error: 'unexpected_reply', detail: error.message };
  }
  return { status: 'failed', error: error.mnemonic ?? error.classification, detail: error.message };
};

/**
 * One `list.calls` through the account's own client, so the probe meets the provider exactly as
 * dispatch does: the same endpoint, credentials (a login first runs `login.user`), transport and
 * error classification. Why `list.calls`: the Call API has no `get.*` or no-op method, and every
 * other authenticated method starts, changes or ends a call or a session, but two read: this one
 * and `list.talk_options`. Neither takes params, so the answer can only be about the address and
 * the credentials, and the docs weigh neither; `list.calls` is the one callhook already uses
 * (reconciliation finds lost calls with it), so the client knows it, and a `component_disabled`
 * here is a real finding rather than one about a method callhook never calls.
 * The provider charges points only for successful requests (the limits page), so a refused
 * address or key costs nothing; a success costs what one `list.calls` costs the sweeper.
 */
export const probeCallApi = async (
  account: CallApiAccountConfig,
  settings: ConnectionSettings,
): Promise<ProbeOutcome> => {
  try {
    const connected = await connectAccount(account, settings);
    const { result } = await connected.call('list.calls', {});
    return {
      status: 'ok',
      detail: `list.calls answered (${result.data.length} active call(s))`,
    };
  } catch (error) {
    return callApiFailure(error);
  }
};
