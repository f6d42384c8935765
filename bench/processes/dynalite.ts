import { startDynalite } from '../../infra/local/dynalite.ts';
import { serve } from './child.ts';

// DynamoDB for the bench, in memory: `ready` is the client config to reach it.
const dynamo = await startDynalite();
serve(dynamo.clientConfig, async () => undefined, dynamo.close);
