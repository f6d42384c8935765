import { LOCAL_ADMIN_KEY, localBridgeUrl } from '../local/defaults.ts';
import { CliError } from './exit-codes.ts';
import type { CliIo } from './io.ts';

/** Where the API is, and the admin key it takes. */
export interface ApiTarget {
  /** The API's base: its origin, and on AWS the stage's path if it has one. */
  baseUrl: URL;
  adminKey: string;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])$/;

/**
 * The `--url` given, or the local bridge `npm start` serves. Plain http only to this machine:
 * anything sent to another one (the admin key, a route's token) goes over https.
 */
export const apiUrlOf = (
  given: string | undefined,
  env: CliIo['env'],
): { url: URL; isLocalDefault: boolean } => {
  const local = localBridgeUrl(env);
  let url: URL;
  try {
    url = new URL(given ?? local);
  } catch {
    throw new CliError('usage', `--url ${JSON.stringify(given)} is not a URL`, true);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new CliError('usage', `--url must be an http(s) URL, not ${url.protocol}`);
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname))
    throw new CliError(
      'usage',
      `--url ${url.origin}: plain http only to this machine (127.0.0.1, localhost); use https`,
    );
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    throw new CliError('usage', '--url takes the API’s base URL alone (no credentials or query)');
  return { url, isLocalDefault: url.origin === new URL(local).origin && url.pathname === '/' };
};

/**
 * The API to talk to and its admin key, from `CALLHOOK_ADMIN_KEY` (never a flag: it would land
 * in the shell's history and in `ps`). Without it, the local runtime's own default key, and
 * only for the local runtime's URL: another API's key is never guessed.
 */
export const apiTargetOf = (given: string | undefined, env: CliIo['env']): ApiTarget => {
  const { url, isLocalDefault } = apiUrlOf(given, env);
  const key = env.CALLHOOK_ADMIN_KEY;
  // fetch would refuse such a header with an error that quotes it whole: said here, unquoted.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
  if (key !== undefined && /[\u0000-\u001f\u007f]/.test(key))
    throw new CliError(
      'usage',
      'CALLHOOK_ADMIN_KEY holds a line break or another control character: set it to the key alone',
    );
  if (key !== undefined && key !== '') return { baseUrl: url, adminKey: key };
  if (isLocalDefault) return { baseUrl: url, adminKey: LOCAL_ADMIN_KEY };
  throw new CliError(
    'usage',
    `set CALLHOOK_ADMIN_KEY to the admin key of ${url.origin} (on AWS, the admin key in the callhook/keys secret: docs/operating.md)`,
  );
};
