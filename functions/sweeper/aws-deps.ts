import { awsCallWorkPorts } from '../wiring/call-work.ts';
import { limitsStore } from '../wiring/dynamodb.ts';
import { sweeperDeps } from './deps.ts';

/** The sweeper's ports on Lambda. */
export const awsSweeperDeps = () => sweeperDeps({ ...awsCallWorkPorts(), limits: limitsStore() });
