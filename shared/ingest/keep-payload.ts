import { KEPT_PAYLOAD_BYTES, type KeptEvent, pathKey, type ReadPath } from '../calls/kept-event.ts';
import type { Payload } from '../http/parse-body.ts';
import {
  digitCount,
  isContactNumber,
  kindOfName,
  maskContactsIn,
  maskedNumber,
  maskSecretParams,
  type NameKind,
} from '../logging/mask-payload.ts';

/** A browser form's field that only its CAPTCHA needed: not kept at all. */
const FORM_ONLY = new Set(['captcha_token']);

/** A cut text needs room for a few characters and its ellipsis, or it is left out. */
const MIN_CUT_TEXT = 16;

const bytesOf = (json: string): number => Buffer.byteLength(json, 'utf8');

/** Fields the route read one way: their places (`pathKey`), and their last names. */
interface PathsRead {
  keys: ReadonlySet<string>;
  names: ReadonlySet<string | undefined>;
}

interface Walk {
  contact: string | undefined;
  /** The fields read as the contact, and as the key (never taken for a phone: shown elsewhere). */
  contactPaths: PathsRead;
  keyPaths: PathsRead;
  /** Bytes of compact JSON left. */
  left: number;
  truncated: boolean;
  /** What each name met so far says (an array's items repeat theirs). */
  kinds: Map<string, NameKind>;
}

const kindIn = (walk: Walk, name: string): NameKind => {
  if (walk.kinds.has(name)) return walk.kinds.get(name);
  const kind = kindOfName(name);
  walk.kinds.set(name, kind);
  return kind;
};

/** Whether the value at `path` is one the route read as `paths` say (keys built only on a name match). */
const isAt = (paths: PathsRead, name: string | undefined, path: string[]): boolean =>
  name !== undefined && paths.names.has(name) && paths.keys.has(pathKey(path));

/**
 * Characters of a text read beyond what the cap has left: a text longer than that is cut before
 * it is masked (masking a 256 KB text would cost seconds), and the cut never ends inside a
 * number, so no run of a number's digits is kept unmasked past it.
 */
const SCAN_BEYOND_CAP = 64;

/** A text as far as it can be kept, and whether it was cut. */
const scannable = (walk: Walk, text: string): { text: string; cut: boolean } =>
  text.length <= walk.left + SCAN_BEYOND_CAP
    ? { text, cut: false }
    : {
        text: text.slice(0, walk.left + SCAN_BEYOND_CAP).replace(/[\p{N}\s()./+-]*$/u, ''),
        cut: true,
      };

/** The contact's field, or one named like a phone: masked as a number, whatever else it holds. */
const maskedByPlace = (
  walk: Walk,
  name: string | undefined,
  path: string[],
  kind: NameKind,
  text: string,
): string | undefined => {
  const digits = digitCount(text);
  if (isAt(walk.contactPaths, name, path)) return digits === 0 ? '***' : maskedNumber(text);
  if (kind === 'phone' && digits >= 4) return maskedNumber(text);
  return undefined;
};

/** A field's value as shown, before the cap: masked by its name, its place and its text. */
const maskedValue = (
  walk: Walk,
  name: string | undefined,
  path: string[],
  value: unknown,
): { value: unknown; cut?: boolean } | undefined => {
  if (value === null || typeof value === 'boolean') return { value };
  const kind = name === undefined ? undefined : kindIn(walk, name);
  if (kind === 'secret') return { value: '***' };
  if (typeof value === 'number') {
    const text = String(value);
    const byPlace = maskedByPlace(walk, name, path, kind, text);
    if (byPlace !== undefined) return { value: byPlace };
    return { value: isContactNumber(value, walk.contact) ? maskedNumber(text) : value };
  }
  if (typeof value !== 'string') return undefined;
  const { text, cut } = scannable(walk, value);
  const shown =
    maskedByPlace(walk, name, path, kind, text) ??
    (isAt(walk.keyPaths, name, path) ? text : maskSecretParams(maskContactsIn(text, walk.contact)));
  return cut ? { value: shown, cut } : { value: shown };
};

/** A text cut to fit `left` bytes as JSON, with an ellipsis; undefined when too little is left. */
const cutText = (text: string, left: number): string | undefined => {
  if (left < MIN_CUT_TEXT) return undefined;
  const fits = (end: number) => bytesOf(JSON.stringify(`${text.slice(0, end)}…`)) <= left;
  // The longest start that fits, by halves: a character takes 1 to 6 bytes as JSON.
  let low = 0;
  let high = Math.min(text.length, left);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  // Never half of a character written as two UTF-16 units.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(low - 1)) ? low - 1 : low;
  return `${text.slice(0, end)}…`;
};

/** Whether an object is a name/value pair whose name is a secret's (`Authorization`, `X-Api-Key`). */
const namesSecret = (value: object): boolean => {
  if (Array.isArray(value)) return false;
  const { name, key, header } = value as Record<string, unknown>;
  return [name, key, header].some(
    (label) => typeof label === 'string' && label.length <= 64 && kindOfName(label) === 'secret',
  );
};

/** An object's fields or an array's items (without a key), one at a time: the walk may stop early. */
function* entriesOf(value: object): Generator<[string | undefined, unknown]> {
  if (Array.isArray(value)) {
    for (const item of value) yield [undefined, item];
    return;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key)) yield [key, (value as Record<string, unknown>)[key]];
  }
}

/**
 * Copies `value` within what is left of the cap, masked: object keys and array items in order
 * until the cap is reached, then nothing more. Returns undefined when not even part of it fits.
 */
const copy = (
  walk: Walk,
  name: string | undefined,
  path: string[],
  value: unknown,
): { value: unknown } | undefined => {
  const masked = maskedValue(walk, name, path, value);
  if (masked !== undefined) {
    const json = JSON.stringify(masked.value);
    const size = bytesOf(json);
    if (size <= walk.left && masked.cut !== true) {
      walk.left -= size;
      return masked;
    }
    walk.truncated = true;
    if (typeof masked.value !== 'string') return undefined;
    const cut = cutText(masked.value, walk.left);
    if (cut === undefined) return undefined;
    walk.left -= bytesOf(JSON.stringify(cut));
    return { value: cut };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  // Both brackets are paid for on the way in: whatever is cut, the JSON closes.
  if (walk.left < 2) {
    walk.truncated = true;
    return undefined;
  }
  walk.left -= 2;
  const kept: [string | undefined, unknown][] = [];
  for (const [key, field] of entriesOf(value)) {
    if (walk.truncated) break;
    // A key is text like any other: a number or an address written as a key is masked too.
    // A key longer than what is left cannot be kept: only that much of it is read.
    const shownKey =
      key === undefined ? undefined : maskContactsIn(key.slice(0, walk.left + 1), walk.contact);
    const overhead =
      (shownKey === undefined ? 0 : bytesOf(JSON.stringify(shownKey)) + 1) +
      (kept.length > 0 ? 1 : 0);
    if (overhead >= walk.left) {
      walk.truncated = true;
      break;
    }
    walk.left -= overhead;
    // A header list's entry (`{"name": "Authorization", "value": "Bearer …"}`): its value is
    // named by its sibling.
    const fieldName = key === 'value' && namesSecret(value) ? 'secret' : (key ?? name);
    const child = copy(walk, fieldName, key === undefined ? path : [...path, key], field);
    if (child === undefined) {
      walk.left += overhead;
      break;
    }
    kept.push([shownKey, child.value]);
  }
  return {
    value: Array.isArray(value)
      ? kept.map(([, item]) => item)
      : Object.fromEntries(kept as [string, unknown][]),
  };
};

/**
 * An accepted event's payload as it is kept for operators (`KeptEvent`): masked before it is
 * stored (the fields read as the contact and anything that looks like a phone number to their
 * last 4 digits, e-mail addresses to their first character and domain, anything named like a
 * secret `***`, a browser form's CAPTCHA token left out),
 * then cut to `KEPT_PAYLOAD_BYTES` of JSON in the payload's own order. The work stops at the
 * cap, however large the payload.
 */
export const keptEventOf = (input: {
  payload: Payload;
  read: ReadPath[];
  /** The number the call rings, as parsed: masked wherever a text names it. */
  contact: string | undefined;
  receivedBytes: number;
  browserForm: boolean;
}): KeptEvent => {
  const pathsAs = (as: 'contact' | 'key'): PathsRead => {
    const paths = input.read.filter((entry) => entry.as.includes(as)).map((entry) => entry.path);
    return {
      keys: new Set(paths.map(pathKey)),
      names: new Set(paths.map((path) => path.at(-1))),
    };
  };
  const walk: Walk = {
    contact: input.contact,
    contactPaths: pathsAs('contact'),
    keyPaths: pathsAs('key'),
    left: KEPT_PAYLOAD_BYTES,
    truncated: false,
    kinds: new Map(),
  };
  const fields = input.browserForm
    ? Object.fromEntries(Object.entries(input.payload).filter(([name]) => !FORM_ONLY.has(name)))
    : input.payload;
  const copied = copy(walk, undefined, [], fields);
  return {
    payload: (copied?.value ?? {}) as Record<string, unknown>,
    truncated: walk.truncated,
    received_bytes: input.receivedBytes,
    read: input.read,
  };
};
