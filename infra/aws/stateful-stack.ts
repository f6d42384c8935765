import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLES, type TableKey } from '../../shared/adapters/dynamodb/tables.ts';
import type { CallhookConfig } from '../../shared/config/schema.ts';
import {
  GENERATED_FIELD,
  GENERATED_LENGTH,
  OWN_KEYS_SECRET,
} from '../../shared/secrets/own-keys.ts';
import { parameterNameProblem } from '../../shared/secrets/secret-stores.ts';
import { DeploymentRefused } from './refusal.ts';
import { OLD_KEY_SECRETS, secretNeeds } from './secret-needs.ts';
import type { DeploySettings } from './settings.ts';
import {
  stagedName,
  stagedParameterName,
  stagedSecretName,
  stagedTableName,
} from './stage-names.ts';

export interface StatefulStackProps extends StackProps {
  config: CallhookConfig;
  settings: DeploySettings;
}

/**
 * What must outlive any redeployment: the tables, the secrets, and the Elastic IPs the
 * provider has whitelisted. The stateless stack can be destroyed and rebuilt around them.
 */
export class StatefulStack extends Stack {
  readonly tables: Record<TableKey, dynamodb.TableV2>;
  /** The Secrets Manager secrets, by the config's names (or callhook's own). */
  readonly secrets: Map<string, secretsmanager.ISecret>;
  /**
   * With `secretStore=parameter-store`, the SSM parameters the config's secrets are kept in, by
   * the config's names. The operator puts them; no stack creates or deletes them.
   */
  readonly parameters: Map<string, string>;
  /** Allocation ids of the NAT gateways' addresses, one per gateway. */
  readonly eipAllocationIds: string[];
  /** The addresses to whitelist, when this stack created them. */
  readonly egressIps: string[];

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { stage } = props.settings;
    this.tables = {
      calls: this.#table('calls', stage),
      contacts: this.#table('contacts', stage),
      limits: this.#table('limits', stage),
    };

    this.secrets = new Map();
    const needs = secretNeeds(props.config);
    const names = new Set([
      ...needs.accounts,
      ...needs.reports,
      ...needs.senders,
      ...needs.events,
      ...needs.callbacks,
    ]);
    if (names.has(OWN_KEYS_SECRET)) {
      throw new DeploymentRefused(
        `the config names the secret ${OWN_KEYS_SECRET}, which holds the keys callhook makes for itself: give yours another name`,
      );
    }
    this.parameters = new Map();
    for (const name of [...names].sort()) {
      if (props.settings.secretStore === 'parameter-store') {
        // Nothing to create: CloudFormation cannot make a `SecureString` parameter, and the
        // operator puts each with `aws ssm put-parameter --type SecureString`.
        const parameter = stagedParameterName(name, stage);
        const problem = parameterNameProblem(parameter);
        if (problem !== undefined) {
          throw new DeploymentRefused(
            `the config's secret ${name} cannot be the parameter ${parameter}: a name ${problem} (rename it, or leave secretStore at secrets-manager)`,
          );
        }
        this.parameters.set(name, parameter);
        continue;
      }
      // A generated placeholder, never a value from this repository: operators put the real
      // value in with `aws secretsmanager put-secret-value` (see docs/deploying-to-aws.md).
      this.secrets.set(name, this.#secret(name, props.settings));
    }
    // The keys callhook makes for itself, in one secret: their generated value is the one
    // they keep, so nobody needs to put one (shared/secrets/own-keys.ts).
    this.secrets.set(
      OWN_KEYS_SECRET,
      this.#secret(OWN_KEYS_SECRET, props.settings, {
        secretStringTemplate: '{}',
        generateStringKey: GENERATED_FIELD,
        passwordLength: GENERATED_LENGTH,
        // Letters and digits, each drawn on its own: any slice is as random as the whole, and
        // the value needs no quoting in a shell.
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: false,
      }),
    );
    if (props.settings.keepOldKeySecrets && !props.settings.importSecrets) {
      for (const name of OLD_KEY_SECRETS) {
        // The stateless stack of before reads them through these exports: while it runs, they
        // must stay (CloudFormation refuses to remove an export in use).
        this.exportValue(this.#secret(name, props.settings).secretArn);
      }
    }

    if (props.settings.egress === 'none') {
      // No fixed address to keep: calls leave from Lambda's own, shared addresses.
      this.eipAllocationIds = [];
      this.egressIps = [];
    } else if (props.settings.eipAllocationIds.length > 0) {
      this.eipAllocationIds = props.settings.eipAllocationIds;
      this.egressIps = [];
    } else {
      const eips = Array.from({ length: props.settings.natGateways }, (_, i) => {
        const eip = new ec2.CfnEIP(this, `EgressIp${i + 1}`, {
          domain: 'vpc',
          tags: [{ key: 'Name', value: stagedName(`callhook-egress-${i + 1}`, stage) }],
        });
        eip.applyRemovalPolicy(RemovalPolicy.RETAIN);
        return eip;
      });
      this.eipAllocationIds = eips.map((eip) => eip.attrAllocationId);
      this.egressIps = eips.map((eip) => eip.attrPublicIp);
    }
  }

  /** A secret by the config's name, stored under the stage's; imported with `importSecrets`. */
  #secret(
    name: string,
    settings: DeploySettings,
    generate?: secretsmanager.SecretStringGenerator,
  ): secretsmanager.ISecret {
    // The construct id the secret has always had: its logical id must not move.
    const id = `Secret-${name.replace(/[^A-Za-z0-9]/g, '-')}`;
    const secretName = stagedSecretName(name, settings.stage);
    if (settings.importSecrets) return secretsmanager.Secret.fromSecretNameV2(this, id, secretName);
    return new secretsmanager.Secret(this, id, {
      secretName,
      description: `callhook: ${secretName}`,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(generate !== undefined && { generateSecretString: generate }),
    });
  }

  #table(key: TableKey, stage: string | undefined): dynamodb.TableV2 {
    const definition = TABLES[key];
    const string = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    return new dynamodb.TableV2(this, `Table-${key}`, {
      tableName: stagedTableName(key, stage),
      partitionKey: string(definition.partitionKey),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...('ttlAttribute' in definition && { timeToLiveAttribute: definition.ttlAttribute }),
      globalSecondaryIndexes: definition.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        ...('sortKey' in index && { sortKey: string(index.sortKey) }),
        ...('include' in index
          ? {
              projectionType: dynamodb.ProjectionType.INCLUDE,
              nonKeyAttributes: [...index.include],
            }
          : { projectionType: dynamodb.ProjectionType.KEYS_ONLY }),
      })),
    });
  }
}
