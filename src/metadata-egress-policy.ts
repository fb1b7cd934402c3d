import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { apiObject } from './internal/objects';
import { namespaceOf } from './internal/task-volume';
import { AgentRelease } from './release';

/** The cloud metadata endpoint task pods may not reach. */
export const METADATA_CIDR = '169.254.169.254/32';

/** Props of {@link MetadataEgressPolicy}. */
export interface MetadataEgressPolicyProps {
  /**
   * The release whose task pods to select.
   * @default - release `scalr-agent`
   */
  readonly release?: AgentRelease;

  /**
   * The namespace of the policy.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
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
    this.networkPolicy = apiObject(this, 'Resource', 'networking.k8s.io/v1', 'NetworkPolicy', {
      name: `${release.fullname}-task-network-policy`,
      namespace: namespaceOf(this, props.namespace),
      labels: release.labels('task'),
    }, {
      spec: {
        podSelector: { matchLabels: release.selectorLabels('task') },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: {} }],
            ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
          },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [METADATA_CIDR] } }] },
        ],
      },
    });
  }
}
