import { Json } from '../core/json';
import { TaskTemplateResource } from '../options/structure';

/** One custom resource that holds the controller's Job template. */
export interface TaskTemplateCrd {
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  /** The CustomResourceDefinition's spec, as the chart installs it (imports/scalr.io.yaml). */
  readonly spec: Json;
}

const GROUP = 'scalr.io';

function crdSpec(kind: string, plural: string, singular: string, shortName: string, schema: Json): Json {
  return {
    group: GROUP,
    scope: 'Namespaced',
    names: { kind, plural, singular, shortNames: [shortName] },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { status: {} } }],
  };
}

/** The custom resources of the chart generations, keyed by kind. */
export const TASK_TEMPLATE_CRDS: { [resource: string]: TaskTemplateCrd } = {
  [TaskTemplateResource.AGENT_TASK]: {
    name: `atasks.${GROUP}`,
    group: GROUP,
    kind: 'AgentTask',
    plural: 'atasks',
    spec: crdSpec('AgentTask', 'atasks', 'atask', 'at', {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { jobTemplate: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          required: ['jobTemplate'],
        },
      },
    }),
  },
  [TaskTemplateResource.AGENT_TASK_TEMPLATE]: {
    name: `agenttasktemplates.${GROUP}`,
    group: GROUP,
    kind: 'AgentTaskTemplate',
    plural: 'agenttasktemplates',
    spec: crdSpec('AgentTaskTemplate', 'agenttasktemplates', 'agenttasktemplate', 'att', {
      type: 'object',
      description: 'AgentTaskTemplate defines a Kubernetes Job template for Scalr Run tasks.',
      properties: {
        spec: {
          type: 'object',
          description: 'Specification for the agent job template.',
          properties: {
            basename: { type: 'string', description: 'Base name prefix for spawned Kubernetes Jobs.' },
            jobTemplate: {
              'type': 'object',
              'description': 'Kubernetes Job template used to spawn Scalr Run tasks.',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
          required: ['jobTemplate'],
        },
      },
    }),
  },
};

/** The ClusterRole rules that let the controller read its task templates. */
export function clusterRulesFor(resource: TaskTemplateResource): Json[] {
  return [{ apiGroups: [GROUP], resources: [TASK_TEMPLATE_CRDS[resource].plural], verbs: ['get', 'list', 'watch'] }];
}
