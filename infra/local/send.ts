import {
  type CountryCode,
  getExampleNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { listed, suggestion } from '../../shared/config/did-you-mean.ts';
import type { AccountConfig, CallhookConfig, RouteConfig } from '../../shared/config/schema.ts';
import { languageOf } from '../../shared/routes/language.ts';
import type { SecretStore } from '../../shared/secrets/secrets.ts';
import { PRESETS, signAsSender, signsRequests } from '../../shared/senders/registry.ts';
import type { SampleEvent } from '../../shared/senders/sender-scheme.ts';

/**
 * `npm run send -- <route> [payload.json]`: a webhook for a route as its sender would send it
 * (the route's `example`, its preset's sample event, or the given payload), signed with the
 * route's secret by the scheme's own `sign`, posted to the local bridge.
 */

/** The request cannot be built: the message says what to do. */
export class SendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SendError';
  }
}

/** The request was built, but nothing answered it: the runtime is not running there. */
export class BridgeUnreachableError extends SendError {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeUnreachableError';
  }
}

export interface SendInput {
  config: CallhookConfig;
  /** The route's name, as in `/hooks/<route>`. */
  route: string;
  /** The secrets the route names (the local secrets file). */
  secrets: SecretStore;
  /** The local bridge, e.g. `http://127.0.0.1:3000`. */
  bridgeUrl: string;
  /** The payload file's fields: sent instead of the route's example or its preset's sample. */
  payload?: Record<string, unknown>;
  /** The number a preset's sample event asks to call; default an example mobile number. */
  phone?: string;
  now?: Date;
}

export interface SampleRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Where the fields came from and how the request proves its sender, for the output. */
  source: string;
}

const CONTENT_TYPES = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
} as const;

const isSimulated = (account: AccountConfig): boolean => account.provider === 'simulator';

/**
 * A sample mobile number of the route's country, which the route may call: the country's
 * example number with its last two digits moved on by the route's place in the config, so each
 * route has its own (the simulator's test numbers) and the per-number cap never refuses a
 * route's sample for another route's. Only numbers the country's plan says are valid mobiles.
 */
export const samplePhone = (route: RouteConfig, routeIndex: number): string => {
  const country = route.default_country as CountryCode;
  const example = getExampleNumber(country, examples);
  if (example === undefined) {
    throw new SendError(`no example number for ${route.default_country}: pass --phone`);
  }
  const base = example.number;
  const last = Number(base.slice(-2));
  for (let step = 0; step < 100; step += 1) {
    const candidate = `${base.slice(0, -2)}${String((last + routeIndex + step) % 100).padStart(2, '0')}`;
    const parsed = parsePhoneNumberFromString(candidate, country);
    if (parsed?.isValid() === true && parsed.getType() === 'MOBILE') return candidate;
  }
  return base;
};

/** The fields to send, and where they came from: the payload file, the example, the preset. */
const sampleOf = (
  name: string,
  route: RouteConfig,
  input: SendInput,
  now: Date,
): { source: string; sample: SampleEvent } => {
  const given =
    input.payload !== undefined
      ? { source: 'the payload file', fields: input.payload }
      : route.example !== undefined
        ? { source: 'the route\'s "example"', fields: route.example }
        : undefined;
  if (given !== undefined) {
    if (input.phone !== undefined) {
      throw new SendError(
        `--phone is for a preset's sample event; put the number in ${given.source} instead`,
      );
    }
    return { source: given.source, sample: { format: 'json', fields: given.fields } };
  }
  const preset = route.preset === undefined ? undefined : PRESETS[route.preset];
  if (preset === undefined) {
    throw new SendError(
      `route "${name}" has no "example" and no preset: give it an "example", or pass a payload file (npm run send -- ${name} payload.json)`,
    );
  }
  const account = input.config.accounts[route.account];
  if (input.phone === undefined && account !== undefined && !isSimulated(account)) {
    throw new SendError(
      `route "${name}" calls through account "${route.account}", which is not the simulator: pass the number to call, npm run send -- ${name} --phone <your number>`,
    );
  }
  const sample = preset.sample({
    phone: input.phone ?? samplePhone(route, Object.keys(input.config.routes).indexOf(name)),
    now,
    language: languageOf(route),
  });
  return { source: `the sample event of the "${route.preset}" preset`, sample };
};

/** Form fields are text: anything else goes as its JSON. */
const formOf = (fields: Readonly<Record<string, unknown>>): string =>
  new URLSearchParams(
    Object.entries(fields).map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  ).toString();

/** How the request proves its sender, for the output. */
const credentialOf = (route: RouteConfig, headers: readonly string[]): string => {
  if (route.auth.type === 'none') return 'with no credential';
  if (route.auth.type === 'token') return `with the route's token in ${listed(headers)}`;
  return `signed as ${route.auth.type} sends it (${listed(headers)})`;
};

/** The request `npm run send` posts: the fields, encoded as the route reads them, signed. */
export const buildSampleRequest = async (input: SendInput): Promise<SampleRequest> => {
  const { config, route: name } = input;
  const route = Object.hasOwn(config.routes, name) ? config.routes[name] : undefined;
  if (route === undefined) {
    const known = Object.keys(config.routes);
    throw new SendError(
      known.length === 0
        ? `no route named "${name}": the config has no routes`
        : `no route named "${name}"; ${suggestion(name, known)}`,
    );
  }
  const now = input.now ?? new Date();
  const { source, sample } = sampleOf(name, route, input, now);
  // A signed route reads its body in its own format, whatever the Content-Type says.
  const format = signsRequests(route.auth) ? route.body_format : sample.format;
  const body = format === 'json' ? JSON.stringify(sample.fields) : formOf(sample.fields);
  const signed = await signAsSender(body, route.auth, input.secrets, now);
  return {
    url: `${input.bridgeUrl}/hooks/${encodeURIComponent(name)}`,
    headers: { 'Content-Type': CONTENT_TYPES[format], ...signed.headers },
    body: signed.body,
    source: `${source}, ${credentialOf(route, Object.keys(signed.headers))}`,
  };
};

export interface SendResult {
  request: SampleRequest;
  status: number;
  /** The answer's body as sent: JSON, or whatever the bridge said. */
  answer: string;
}

/** Builds the route's sample request and posts it; fails with `SendError` when nothing answers. */
export const sendSample = async (input: SendInput): Promise<SendResult> => {
  const request = await buildSampleRequest(input);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      // A 307 would post the body and its credential (a token header) wherever it points.
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const why = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    throw new BridgeUnreachableError(
      `nothing answers at ${input.bridgeUrl}${why === '' ? '' : ` (${why})`}: start the local runtime with npm start, or say where it runs with PORT or --url`,
    );
  }
  return { request, status: response.status, answer: await response.text() };
};

/** What the command prints: the request, then the answer's status and body. */
export const describeResult = (result: SendResult): string => {
  let answer = result.answer;
  try {
    answer = JSON.stringify(JSON.parse(result.answer), null, 2);
  } catch {
    // Not JSON: printed as it came.
  }
  return [
    `POST ${result.request.url}`,
    `  ${result.request.source}`,
    `→ ${result.status}`,
    answer,
  ].join('\n');
};
