import { ArnFormat, type Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLES, type TableKey } from '../../../shared/adapters/dynamodb/tables.ts';
import { SECRET_STORE_ENV, type SecretStoreKind } from '../../../shared/secrets/secret-stores.ts';
import { FUNCTION_BUNDLING, functionEntry } from '../../bundling.ts';

/** The secrets a function reads, where the deployment keeps them. */
export interface SecretGrants {
  store: SecretStoreKind;
  /** Secrets Manager's: the config's with `secrets-manager`, and `callhook/keys` with either. */
  secrets: secretsmanager.ISecret[];
  /** The SSM parameters, by name (`/callhook/…`), with `parameter-store`. */
  parameters: string[];
}

/** How every callhook function is built: the shared esbuild settings, in CDK's terms. */
export const BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  minify: FUNCTION_BUNDLING.minify,
  sourceMap: FUNCTION_BUNDLING.sourcemap,
  target: FUNCTION_BUNDLING.target,
  mainFields: [...FUNCTION_BUNDLING.mainFields],
  banner: FUNCTION_BUNDLING.banner,
  externalModules: [...FUNCTION_BUNDLING.external],
};

export interface CallhookFunctionProps {
  /** The folder under `functions/`. */
  name: string;
  /** What the bundle carries compiled in (`compiledDefine`). */
  define: Record<string, string>;
  timeout: Duration;
  logRetention: logs.RetentionDays;
  memorySize?: number;
  /** Functions that call the Call API run here, leaving through the NAT gateways' IPs. */
  vpc?: { vpc: ec2.IVpc; securityGroup: ec2.ISecurityGroup };
}

/**
 * A callhook Lambda function: `nodejs24.x` on arm64, bundled from `functions/<name>/lambda.ts`,
 * with its own log group. The `use…` methods bind a resource together with the environment
 * variable the code reads and the narrowest grant that serves it.
 */
export class CallhookFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: CallhookFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    // Its own role, writing only to its own log group (the AWS managed basic execution policy
    // would allow every log group in the account).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `callhook ${props.name} function`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      role,
      entry: functionEntry(props.name),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      depsLockFilePath: 'package-lock.json',
      bundling: {
        ...BUNDLING,
        define: props.define,
      },
      environment: {
        POWERTOOLS_SERVICE_NAME: 'callhook',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      ...(props.vpc !== undefined && {
        vpc: props.vpc.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [props.vpc.securityGroup],
      }),
    });
  }

  /**
   * Reads and writes single items of the table and queries its named indexes: the operations
   * the stores use, and no scan, delete or batch.
   */
  useTable(key: TableKey, table: dynamodb.ITableV2): this {
    const definition = TABLES[key];
    this.fn.addEnvironment(definition.envVar, table.tableName);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
      }),
    );
    if (definition.indexes.length > 0) {
      this.fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: definition.indexes.map((index) => `${table.tableArn}/index/${index.name}`),
        }),
      );
    }
    return this;
  }

  /** Updates single items of the table in place and nothing else: no read, put or query. */
  updatesItemsOf(key: TableKey, table: dynamodb.ITableV2): this {
    this.fn.addEnvironment(TABLES[key].envVar, table.tableName);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn] }),
    );
    return this;
  }

  /** Sends to the queue; its URL is in `envVar`. */
  sendsTo(queue: sqs.IQueue, envVar: string): this {
    this.fn.addEnvironment(envVar, queue.queueUrl);
    queue.grantSendMessages(this.fn);
    return this;
  }

  /** Reads exactly these secrets and parameters, by name, and knows where to find them. */
  readsSecrets({ store, secrets, parameters }: SecretGrants): this {
    for (const secret of secrets) secret.grantRead(this.fn);
    if (store === 'parameter-store') this.fn.addEnvironment(SECRET_STORE_ENV, store);
    if (parameters.length === 0) return this;
    const stack = Stack.of(this);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        // GetParameter alone (with WithDecryption): no GetParameters, no path reads. No
        // kms:Decrypt either: the parameters are encrypted with the AWS-managed key `aws/ssm`,
        // whose key policy "grants Decrypt permission to all IAM principals in the AWS account"
        // (AWS Systems Manager User Guide, "Restricting decryption of SecureString parameter
        // values": https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html).
        // So the grant on the parameter is what decides who reads it.
        actions: ['ssm:GetParameter'],
        resources: parameters.map((name) =>
          stack.formatArn({
            service: 'ssm',
            resource: 'parameter',
            // The ARN holds the name without its leading `/`: `…:parameter/callhook/shopify`.
            resourceName: name.replace(/^\//, ''),
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ),
      }),
    );
    return this;
  }
}
