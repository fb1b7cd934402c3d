import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { extraMetadata, withExtraMetadata } from './internal/metadata';
import { apiObject } from './internal/objects';
import { flag } from './internal/pod';
import { namespaceOf } from './internal/task-volume';
import { ResourceNaming } from './options/structure';
import { MetadataPolicyOptions } from './options/task';
import { AgentRelease } from './release';

/** The cloud metadata endpoint task pods may not reach. */
export const METADATA_CIDR = '169.254.169.254/32';
/** The IPv6 metadata endpoint of AWS EC2 (Nitro instances). */
export const METADATA_CIDR_IPV6 = 'fd00:ec2::254/128';

/** Props of {@link MetadataEgressPolicy}. */
export interface MetadataEgressPolicyProps extends MetadataPolicyOptions {
  /**
   * The release whose task pods to select.
   * @default - release `scalr-agent` of the latest chart version
   */
  readonly release?: AgentRelease;

  /**
   * How the policy is named.
   * @default - the chart version's naming
   */
  readonly resourceNames?: ResourceNaming;

  /**
   * The namespace of the policy.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;

  /**
   * Labels added to the policy's metadata.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the policy.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * A NetworkPolicy that keeps task pods away from the cloud metadata service (169.254.169.254),
 * so that Terraform runs cannot take the node's cloud credentials. DNS (port 53 in any namespace)
 * is allowed by its own rule, because on some CNIs (Cilium, GKE Dataplane V2) an ipBlock does not
 * match cluster addresses. The cluster's CNI must enforce NetworkPolicies.
 */
export class MetadataEgressPolicy extends Construct {
  /** The NetworkPolicy. */
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: MetadataEgressPolicyProps = {}) {
    super(scope, id);
    const release = props.release ?? new AgentRelease();
    const extra = extraMetadata({ labelsPath: 'labels', labels: props.labels, annotationsPath: 'annotations', annotations: props.annotations });
    const blockIpv6 = flag('metadataPolicy.blockIpv6Metadata', props.blockIpv6Metadata, false);
    const allowClusterTraffic = flag('metadataPolicy.allowClusterTraffic', props.allowClusterTraffic, false);
    const ipBlocks: object[] = [{ ipBlock: { cidr: '0.0.0.0/0', except: [METADATA_CIDR] } }];
    if (blockIpv6) ipBlocks.push({ ipBlock: { cidr: '::/0', except: [METADATA_CIDR_IPV6] } });
    const egress: object[] = [
      {
        to: [{ namespaceSelector: {} }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      },
    ];
    if (allowClusterTraffic) egress.push({ to: [{ namespaceSelector: {} }] });
    egress.push({ to: ipBlocks });
    this.networkPolicy = apiObject(this, 'Resource', 'networking.k8s.io/v1', 'NetworkPolicy', withExtraMetadata({
      name: release.networkPolicyName(props.resourceNames ?? release.version._profile.resourceNames),
      namespace: namespaceOf(this, props.namespace),
      labels: release.labels('task'),
    }, extra), {
      spec: {
        podSelector: { matchLabels: release.selectorLabels('task') },
        policyTypes: ['Egress'],
        egress,
      },
    });
  }
}
