import {
  CloudFormationClient,
  type CloudFormationClientConfig,
  DescribeStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import type { StackFacts, StackOutputs } from '../ports.ts';

/** CloudFormation answers a stack name it does not know with a plain ValidationError. */
const isMissingStack = (error: unknown): boolean =>
  error instanceof Error &&
  error.name === 'ValidationError' &&
  /does not exist/.test(error.message);

/** The deployment's stacks, through CloudFormation's `DescribeStacks` and `ListStackResources`. */
export class CloudFormationStacks implements StackOutputs {
  readonly #client: CloudFormationClient;

  constructor(config: CloudFormationClientConfig = {}) {
    this.#client = new CloudFormationClient(config);
  }

  async describe(stackName: string): Promise<StackFacts | undefined> {
    const reply = await this.#client
      .send(new DescribeStacksCommand({ StackName: stackName }))
      .catch((error: unknown) => {
        if (isMissingStack(error)) return undefined;
        throw error;
      });
    const found = reply?.Stacks?.[0];
    if (found === undefined) return undefined;
    const outputs: Record<string, string> = {};
    for (const output of found.Outputs ?? []) {
      if (output.OutputKey !== undefined && output.OutputValue !== undefined) {
        outputs[output.OutputKey] = output.OutputValue;
      }
    }
    return { status: found.StackStatus ?? 'UNKNOWN', outputs };
  }

  async createdSecrets(stackName: string): Promise<string[]> {
    const arns: string[] = [];
    const pages = paginateListStackResources({ client: this.#client }, { StackName: stackName });
    for await (const page of pages) {
      for (const resource of page.StackResourceSummaries ?? []) {
        // A secret's physical id is its ARN.
        if (
          resource.ResourceType === 'AWS::SecretsManager::Secret' &&
          resource.PhysicalResourceId !== undefined
        ) {
          arns.push(resource.PhysicalResourceId);
        }
      }
    }
    return arns;
  }
}
