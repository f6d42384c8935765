import { Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** How the private subnets reach the internet: what `-c callhook:egress` chooses. */
export type Egress = 'nat-gateway' | 'nat-instance';

export interface EgressNetworkProps {
  egress: Egress;
  /** NAT gateways, or NAT instances: one per availability zone used, at most two. */
  natGateways: number;
  /** One Elastic IP allocation per NAT: the addresses the provider whitelists. */
  eipAllocationIds: string[];
  logRetention: logs.RetentionDays;
}

/** The smallest Graviton instance: a NAT for a few calls a second needs no more. */
const NAT_INSTANCE_TYPE = ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO);

/**
 * A NAT instance's start-up (Amazon Linux 2023, as root, once). It takes its Elastic IP itself
 * rather than through CloudFormation: an `EIPAssociation` cannot be created while the address
 * is still held (by the instance it replaces, or by the NAT gateway it takes over from, which
 * CloudFormation deletes only at the end of the deploy), so the instance asks until the address
 * is free, taking it from a predecessor instance. It forwards only once it holds the address:
 * until then calls find no way out and wait, rather than leave from an address the provider has
 * not whitelisted. (AWS's NAT recipe otherwise: `NatInstanceProviderV2.DEFAULT_USER_DATA_COMMANDS`.)
 */
export const natInstanceStartup = (allocationId: string): string[] => [
  'yum install iptables-services -y',
  'systemctl enable iptables',
  'systemctl start iptables',
  // A fresh IMDSv2 token for each read: the wait for the address may outlast one.
  'imds() { curl -s -H "X-aws-ec2-metadata-token: $(curl -sX PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")" "http://169.254.169.254/latest/meta-data/$1"; }',
  `until aws ec2 associate-address --region "$(imds placement/region)" --instance-id "$(imds instance-id)" --allocation-id ${allocationId} --allow-reassociation; do sleep 10; done`,
  'echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/custom-ip-forwarding.conf',
  'sysctl -p /etc/sysctl.d/custom-ip-forwarding.conf',
  'iptables -t nat -A POSTROUTING -o "$(ip route show default | awk \'{print $5}\')" -j MASQUERADE',
  'iptables -F FORWARD',
  'service iptables save',
];

/**
 * The VPC whose private subnets host every function that talks to the Call API. They leave
 * through NATs holding fixed Elastic IPs, so the provider's IP whitelist stays valid: managed
 * NAT gateways, or (for a smaller fixed cost) NAT instances on the same addresses, so switching
 * between the two keeps them. DynamoDB traffic takes a gateway endpoint and never crosses the NAT.
 */
export class EgressNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly securityGroup: ec2.SecurityGroup;
  /** The NAT instances with `nat-instance`, none with `nat-gateway`. */
  readonly natInstances: ec2.Instance[];

  constructor(scope: Construct, id: string, props: EgressNetworkProps) {
    super(scope, id);
    const natInstances =
      props.egress === 'nat-instance'
        ? ec2.NatProvider.instanceV2({
            instanceType: NAT_INSTANCE_TYPE,
            // Amazon Linux 2023 for arm64, from AWS's public SSM parameter, resolved at deploy
            // (synth stays offline). Its images require IMDSv2.
            machineImage: ec2.MachineImage.latestAmazonLinux2023({
              cpuType: ec2.AmazonLinuxCpuType.ARM_64,
            }),
            // Standard credits: a busy hour is slowed to the baseline instead of billed extra.
            creditSpecification: ec2.CpuCredits.STANDARD,
            // Its security group gets only what a NAT needs, below.
            defaultAllowedTraffic: ec2.NatTrafficDirection.NONE,
          })
        : undefined;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways,
      natGatewayProvider:
        natInstances ?? ec2.NatProvider.gateway({ eipAllocationIds: props.eipAllocationIds }),
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetention }),
          ),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'Functions', {
      vpc: this.vpc,
      description: 'callhook functions: outbound HTTPS only, nothing inbound',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS out');
    this.natInstances = natInstances === undefined ? [] : this.#natInstances(natInstances, props);
  }

  /**
   * Each NAT instance takes its Elastic IP (the stateful stack's, retained) at start-up, has an
   * encrypted root volume, and a security group letting in only the functions' HTTPS and out only HTTPS (the
   * forwarded requests, and the OS packages its start-up installs).
   */
  #natInstances(provider: ec2.NatInstanceProviderV2, props: EgressNetworkProps): ec2.Instance[] {
    provider.securityGroup.addIngressRule(
      this.securityGroup,
      ec2.Port.tcp(443),
      'HTTPS from the callhook functions, to forward',
    );
    provider.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS out: forwarded requests, and the packages installed at start-up',
    );
    const instances = provider.gatewayInstances;
    const stack = Stack.of(this);
    instances.forEach((instance, i) => {
      const allocationId = props.eipAllocationIds[i];
      if (allocationId === undefined) throw new Error(`no Elastic IP for NAT instance ${i + 1}`);
      const startup = ec2.UserData.forLinux();
      startup.addCommands(...natInstanceStartup(allocationId));
      // Its own start-up, in place of the one the provider gives every instance alike.
      instance.instance.userData = Fn.base64(startup.render());
      // Its own address, on itself, and nothing else. A policy apart from the role's default one,
      // which the instance waits for: this one names the instance, so it comes after it.
      new iam.Policy(this, `NatInstance${i + 1}TakesItsAddress`, {
        roles: [instance.role],
        statements: [
          new iam.PolicyStatement({
            actions: ['ec2:AssociateAddress'],
            resources: [
              stack.formatArn({
                service: 'ec2',
                resource: 'elastic-ip',
                resourceName: allocationId,
              }),
              stack.formatArn({
                service: 'ec2',
                resource: 'instance',
                resourceName: instance.instanceId,
              }),
            ],
          }),
        ],
      });
    });
    for (const instance of instances) {
      // The image's own root device, encrypted under the account's default EBS key (no charge).
      instance.instance.blockDeviceMappings = [
        {
          deviceName: '/dev/xvda',
          ebs: { encrypted: true, volumeType: 'gp3', deleteOnTermination: true },
        },
      ];
    }
    return instances;
  }
}
