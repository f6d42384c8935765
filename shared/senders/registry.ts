import type { RawRequest } from '../http/raw-request.ts';
import { readSecret, type SecretShape } from '../secrets/secret-shapes.ts';
import type { SecretStore } from '../secrets/secrets.ts';
import type { SenderAuth } from './auth-schemas.ts';
import { browser } from './browser.ts';
import { hmac } from './hmac.ts';
import { none } from './none.ts';
import type { Handshake, Preset, SignedRequest, VerifiedSender } from './sender-scheme.ts';
import { shopify } from './shopify.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import { stripe } from './stripe.ts';
import { token } from './token.ts';
import { typeform } from './typeform.ts';
import { woocommerce } from './woocommerce.ts';

/** A scheme with its types erased, called only with an `auth` of its own type. */
interface AnyScheme {
  readonly type: string;
  readonly secret: SecretShape | null;
  readonly signs: boolean;
  // A method, so that each scheme's verifier (which takes only its own auth) fits.
  verify(
    request: RawRequest,
    auth: { readonly type: string },
    secret: string | undefined,
    now: Date,
  ): VerifiedSender | Promise<VerifiedSender>;
  sign(
    body: string,
    auth: { readonly type: string },
    secret: string | undefined,
    now: Date,
  ): SignedRequest;
  readonly handshake?: Handshake;
  readonly presets: Readonly<Record<string, Preset>>;
}

/**
 * Every sender scheme, once: the verifiers, the secrets' shapes, the handshakes and the presets
 * below all come from this list, and each `auth` type of the route schema (`auth-schemas.ts`)
 * must have its scheme here (checked below). Its order is the order in which the presets are
 * listed: the senders that sign first, then the shared token, a browser form, and no check at
 * all last.
 */
const SCHEMES = [
  shopify,
  woocommerce,
  typeform,
  standardWebhooks,
  stripe,
  hmac,
  token,
  browser,
  none,
] as const satisfies readonly AnyScheme[];

type Schemes = typeof SCHEMES;
type PresetNamesOf<T extends readonly AnyScheme[]> = { [I in keyof T]: keyof T[I]['presets'] };

/** Every `auth` type the config schema accepts has its scheme, and every scheme its `auth` type. */
type Unmatched =
  | Exclude<SenderAuth['type'], Schemes[number]['type']>
  | Exclude<Schemes[number]['type'], SenderAuth['type']>;
const everySchemeMatched: [Unmatched] extends [never] ? true : Unmatched = true;
void everySchemeMatched;

const SCHEME_OF = {} as Record<SenderAuth['type'], AnyScheme>;
for (const scheme of SCHEMES) {
  const type = scheme.type as SenderAuth['type'];
  if (Object.hasOwn(SCHEME_OF, type)) throw new Error(`two sender schemes are named ${type}`);
  SCHEME_OF[type] = scheme;
}

/**
 * Whether the route's sender signs its requests. On such a route only the signed bytes decide
 * the payload, the call and its id; a shared token proves only who sent the request.
 */
export const signsRequests = (auth: SenderAuth): boolean => SCHEME_OF[auth.type].signs;

/** The secret the route's sender uses and what it must hold; none for a scheme without one. */
export const senderSecretOf = (
  auth: SenderAuth,
): { name: string; shape: SecretShape } | undefined => {
  const shape = SCHEME_OF[auth.type].secret;
  return shape === null ? undefined : { name: (auth as { secret: string }).secret, shape };
};

/**
 * The `reason` to answer `200 "ignored"` with when the request is the sender's unsigned
 * handshake (WooCommerce's creation ping), checked before verification; otherwise undefined.
 */
export const handshakeOf = (auth: SenderAuth, request: RawRequest): string | undefined => {
  const handshake = SCHEME_OF[auth.type].handshake;
  return handshake?.recognises(request) ? handshake.reason : undefined;
};

/**
 * Checks that the webhook comes from the route's sender, on the raw body, before anything parses
 * it. Fails with `401 unauthorized` for a missing credential and `401 invalid_signature` for a
 * wrong one. Returns what the signature vouches for beyond the body.
 */
export const verifySender = async (
  request: RawRequest,
  auth: SenderAuth,
  secrets: SecretStore,
  now: Date,
): Promise<VerifiedSender> => {
  const needs = senderSecretOf(auth);
  const secret =
    needs === undefined ? undefined : await readSecret(secrets, needs.name, needs.shape);
  return SCHEME_OF[auth.type].verify(request, auth, secret, now);
};

/**
 * Signs `body` as the route's sender would at `now`, with the secret the route names (read and
 * checked as the verifier reads it): what `npm run send` posts.
 */
export const signAsSender = async (
  body: string,
  auth: SenderAuth,
  secrets: SecretStore,
  now: Date,
): Promise<SignedRequest> => {
  const needs = senderSecretOf(auth);
  const secret =
    needs === undefined ? undefined : await readSecret(secrets, needs.name, needs.shape);
  return SCHEME_OF[auth.type].sign(body, auth, secret, now);
};

/**
 * The `reason` of every scheme's handshake, for the contract's description of an ignored event
 * (shared/contract/hook-schemas.ts). A function, so a bundle that does not call it drops it.
 */
export const handshakeReasons = (): string[] =>
  (SCHEMES as readonly AnyScheme[]).flatMap((scheme) =>
    scheme.handshake === undefined ? [] : [scheme.handshake.reason],
  );

export type PresetName = PresetNamesOf<Schemes>[number] & string;

/**
 * Ready route templates, by name, from every scheme: a route that names one gets its fields
 * (`expandPreset`). A name must be unique across the schemes.
 */
export const PRESETS = {} as Readonly<Record<PresetName, Preset>>;
for (const scheme of SCHEMES) {
  for (const [name, preset] of Object.entries(scheme.presets)) {
    if (Object.hasOwn(PRESETS, name)) throw new Error(`two sender schemes offer preset ${name}`);
    (PRESETS as Record<string, Preset>)[name] = preset;
  }
}
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
