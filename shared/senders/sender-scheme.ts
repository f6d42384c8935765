import type * as z from 'zod';
import type { RawRequest } from '../http/raw-request.ts';
import type { Language } from '../routes/language.ts';
import type { SecretShape } from '../secrets/secret-shapes.ts';

/** What a verifier learnt from the signed parts of a request, beyond the body. */
export interface VerifiedSender {
  /** An event id the sender signed (Standard Webhooks' `webhook-id`): the event's natural key. */
  eventId?: string;
  /** When the sender signed the delivery (Standard Webhooks' `webhook-timestamp`). */
  signedAt?: Date;
}

/** Nothing beyond the body is signed. */
export const NOTHING_MORE: VerifiedSender = {};

/**
 * The schema of a route's `auth` for one scheme: a strict object whose `type` is the scheme's
 * name. Part of the config schema (classic zod, `auth-schemas.ts`), which only the CLI and the
 * CDK app run; the ingest function reads the config already parsed, and the schemes know the
 * schemas' types only.
 */
export type AuthSchema = z.ZodObject<
  { type: z.ZodLiteral<string> } & z.ZodRawShape,
  z.core.$strict
>;

type HasSecret<Auth extends AuthSchema> = z.output<Auth> extends { secret: string } ? true : false;

/**
 * A request the sender makes before its first event, unsigned, that must be answered
 * `200 {"status": "ignored", "reason": …}` before verification, or the sender gives up on the
 * endpoint.
 */
export interface Handshake {
  /** The `reason` of the answer. */
  readonly reason: string;
  readonly recognises: (request: RawRequest) => boolean;
}

/**
 * A preset's route fields, written as a route in the config file would give them: its `auth`
 * names the scheme (and may preset its settings); the route must still give its secret.
 */
export type RouteTemplate<Auth extends AuthSchema = AuthSchema> = {
  readonly auth: Readonly<Partial<z.input<Auth>>> & { readonly type: z.input<Auth>['type'] };
} & Readonly<Record<string, unknown>>;

/** An event as the sender would post it, for `npm run send`. */
export interface SampleEvent {
  /** A JSON body, or a form (`application/x-www-form-urlencoded`) as Tilda posts. */
  readonly format: 'json' | 'form';
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface SampleContext {
  /** The number the event asks to call. */
  readonly phone: string;
  /** When it is sent: its times and ids follow from it, so that each run is another event. */
  readonly now: Date;
  /** The route's language, for the names and text in it. */
  readonly language: Language;
}

/** A ready route for one sender: a route that names it gets its fields (`expandPreset`). */
export interface Preset<Auth extends AuthSchema = AuthSchema> {
  readonly route: RouteTemplate<Auth>;
  /**
   * The TTS text it speaks (JSONata over the payload), in every language: expansion makes the
   * route's language's text its `call.contact_message`, which the route may override.
   */
  readonly messages?: Readonly<Record<Language, string>>;
  /** A realistic event of the sender's documented shape, for `npm run send`. */
  readonly sample: (context: SampleContext) => SampleEvent;
  /**
   * Its events cancel another route's calls (an order cancelled): a route that names it must
   * say whose, in `cancels`.
   */
  readonly cancelling?: true;
}

/** A request as the sender would send it: its signature's headers and the exact body. */
export interface SignedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * One way for a route to know who sent a webhook: every piece of it, so that a new scheme is
 * one file and one line in `registry.ts`. A piece left out does not compile.
 */
export interface SenderScheme<
  Auth extends AuthSchema = AuthSchema,
  Presets extends string = string,
> {
  /** The route's `auth.type` that names it; its settings' schema is in `auth-schemas.ts`. */
  readonly type: z.output<Auth>['type'];
  /** What the secret `auth.secret` names must hold; `null` for a scheme without a secret. */
  readonly secret: HasSecret<Auth> extends true ? SecretShape : null;
  /**
   * Whether the sender signs its requests. On such a route only the signed bytes decide the
   * payload, the call and its id; a shared token proves only who sent the request.
   */
  readonly signs: boolean;
  /**
   * Checks the raw request before anything parses it: throws `401 unauthorized` for a missing
   * credential and `401 invalid_signature` for a wrong one (or a signing time further than the
   * scheme allows from `now`). Returns what the signature vouches for beyond the body. A
   * scheme that asks a third party (a browser form's CAPTCHA provider) answers a promise.
   */
  readonly verify: (
    request: RawRequest,
    auth: z.output<Auth>,
    secret: HasSecret<Auth> extends true ? string : undefined,
    now: Date,
  ) => VerifiedSender | Promise<VerifiedSender>;
  /**
   * Signs `body` as the sender would at `now` (for `npm run send`); `verify` must accept what
   * it returns. The credential's headers only: the caller sets the Content-Type.
   */
  readonly sign: (
    body: string,
    auth: z.output<Auth>,
    secret: HasSecret<Auth> extends true ? string : undefined,
    now: Date,
  ) => SignedRequest;
  /** The sender's unsigned handshake, if it has one. */
  readonly handshake?: Handshake;
  /** The presets for senders that use this scheme, by name (unique across all schemes). */
  readonly presets: { readonly [Name in Presets]: Preset<Auth> };
}

/**
 * A scheme with its types checked and kept, for the `auth` settings of its schema:
 * `export const shopify = senderScheme<typeof ShopifyAuth>()({ … })`.
 */
export const senderScheme =
  <Auth extends AuthSchema>() =>
  <const Presets extends string = never>(
    scheme: SenderScheme<Auth, Presets>,
  ): SenderScheme<Auth, Presets> =>
    scheme;
