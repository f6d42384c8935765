import { awsCallWorkPorts } from '../wiring/call-work.ts';
import { limitsStore } from '../wiring/dynamodb.ts';
import { dispatchDeps } from './deps.ts';

/** The dispatch function's ports on Lambda. */
export const awsDispatchDeps = () => dispatchDeps({ ...awsCallWorkPorts(), limits: limitsStore() });
