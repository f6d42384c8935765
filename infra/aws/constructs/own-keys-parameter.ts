import { ArnFormat, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CallhookFunction } from './callhook-function.ts';

export interface OwnKeysParameterProps {
  /** `/callhook/keys`, under the stage's prefix. */
  parameterName: string;
  logRetention: logs.RetentionDays;
}

/**
 * `callhook/keys` as a `SecureString` parameter (`secretStore=parameter-store`). CloudFormation
 * cannot create a `SecureString`, and a value it wrote would be readable in the template, so a
 * custom resource of ours generates the value in its own function and puts it
 * (`functions/own-keys-parameter`), keeping a parameter that exists. Nothing deletes it.
 */
export class OwnKeysParameter extends Construct {
  /** The function that puts it, and may put only it. */
  readonly generator: CallhookFunction;

  constructor(scope: Construct, id: string, props: OwnKeysParameterProps) {
    super(scope, id);
    // No config in its bundle: it knows nothing but the name it is given.
    this.generator = new CallhookFunction(this, 'Generator', {
      name: 'own-keys-parameter',
      define: {},
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
      memorySize: 128,
    });
    this.generator.fn.addToRolePolicy(
      new iam.PolicyStatement({
        // PutParameter alone, on this one parameter: no read, no delete, no other name.
        actions: ['ssm:PutParameter'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: props.parameterName.replace(/^\//, ''),
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.generator.fn,
      // The framework function's logs expire as ours do.
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: props.logRetention }),
    });
    new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::CallhookOwnKeysParameter',
      properties: { ParameterName: props.parameterName },
    });
  }
}
