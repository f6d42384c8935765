/**
 * The shape of every call id `callIdFor` derives: `c_` and 32 lowercase hex digits. Anything
 * else names no call, so it is answered as unknown without a read: an id from outside never
 * reaches DynamoDB unless it could be a key callhook wrote (a key is at most 2,048 bytes).
 */
const CALL_ID = /^c_[0-9a-f]{32}$/;

export const isCallId = (value: string): boolean => CALL_ID.test(value);
