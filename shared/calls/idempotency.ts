import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { CallRequest } from '../backends/config-registry.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Key order must not matter: `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same event. */
const canonical = (value: unknown): string => stringify(value) ?? 'undefined';

/** Where an event's idempotency key came from; part of the key so the sources never collide. */
export type KeySource = 'header' | 'route' | 'sender' | 'content' | 'form';

/**
 * The call id is derived from the route and the event's key, so every delivery of one event
 * addresses the same record and a single conditional write decides which one is first.
 */
export const callIdFor = (route: string, source: KeySource, key: string): string =>
  `c_${sha256(JSON.stringify([route, source, key])).slice(0, 32)}`;

/** A key for events that carry none: the hash of the parsed payload. */
export const contentKey = (payload: unknown): string => sha256(canonical(payload));

/** What the call would do; a repeat with the same key but another fingerprint is a conflict. */
export const fingerprintOf = (request: CallRequest): string => sha256(canonical(request));

/** The id of the one call an escalation makes from call `from` on route `route`. */
export const escalationCallIdFor = (route: string, from: string): string =>
  `c_${sha256(JSON.stringify(['escalation', route, from])).slice(0, 32)}`;
