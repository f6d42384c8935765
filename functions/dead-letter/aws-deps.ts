import { callStore } from '../wiring/dynamodb.ts';
import { BASIC_PORTS } from '../wiring/env.ts';
import { deadLetterDeps } from './deps.ts';

/** The dead-letter consumer's ports on Lambda. */
export const awsDeadLetterDeps = () => deadLetterDeps({ ...BASIC_PORTS, store: callStore() });
