import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterObject } from './internal/objects';

/**
 * The AgentTask CustomResourceDefinition (`atasks.scalr.io`). Cluster-scoped and shared by every
 * agent pool of the cluster: create it once, for example in a chart of its own that is applied
 * before the pools.
 */
export class AgentTaskCrd extends Construct {
  /** The CRD's name. */
  public static readonly NAME = 'atasks.scalr.io';

  /** The CustomResourceDefinition object. */
  public readonly crd: ApiObject;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.crd = clusterObject(this, 'Resource', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', { name: AgentTaskCrd.NAME }, {
      spec: {
        group: 'scalr.io',
        scope: 'Namespaced',
        names: { kind: 'AgentTask', plural: 'atasks', singular: 'atask', shortNames: ['at'] },
        versions: [{
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { jobTemplate: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
                  required: ['jobTemplate'],
                },
              },
            },
          },
          subresources: { status: {} },
        }],
      },
    });
  }
}
