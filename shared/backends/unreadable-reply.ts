import type * as z from '../validation/zod.ts';
import type { BackendErrorInit } from './backend-error.ts';

/**
 * callhook's own mnemonic for a reply it cannot read: the wrong shape, or a number out of its
 * range (shared/validation/provider-numbers.ts). Such a reply came after the request was sent,
 * so the provider may have acted on it: the error is `ambiguous`.
 */
export const UNREADABLE_REPLY = 'unreadable_reply';

type Issue = z.core.$ZodIssue;

/**
 * The issue that says most: of a union that failed, the branch that got as far as a check of
 * its type (the right type, the wrong value), else the union's own "Invalid input".
 */
const telling = (issue: Issue): Issue => {
  if (issue.code !== 'invalid_union') return issue;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first !== undefined && first.code !== 'invalid_type') {
      return telling({ ...first, path: [...issue.path, ...first.path] } as Issue);
    }
  }
  return issue;
};

/** `result`, `['data', 0, 'talk_duration']` → `result.data[0].talk_duration`. */
const fieldOf = (root: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    root,
  );

/**
 * Where a reply failed its schema and why, in the schema's words: zod's messages name the
 * expected type or bound, never the value, so no phone number of the reply reaches an error.
 * Paths hold only the schema's own field names and the indices of arrays.
 */
export const unreadableIssue = (
  error: z.core.$ZodError,
  root: string,
): { field: string; why: string } => {
  const first = error.issues[0];
  if (first === undefined) return { field: root, why: 'Invalid input' };
  const issue = telling(first);
  // The one message that quotes the reply: the names of fields a strict schema did not expect.
  const why = issue.code === 'unrecognized_keys' ? 'unexpected fields' : issue.message;
  return { field: fieldOf(root, issue.path), why };
};

/**
 * The error for a reply that does not parse: `ambiguous` (it came after the request was sent),
 * mnemonic `unreadable_reply`, `field` the reply's field, and a message naming both.
 * `context` names the request (e.g. `get.calls_report`), `root` where the parsed part sits.
 */
export const unreadableReply = (
  context: string,
  root: string,
  error: z.core.$ZodError,
): BackendErrorInit => {
  const { field, why } = unreadableIssue(error, root);
  return {
    classification: 'ambiguous',
    mnemonic: UNREADABLE_REPLY,
    field,
    message: `${context}: unreadable reply: ${field}: ${why}`,
  };
};
