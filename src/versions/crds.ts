import { invalid } from '../core/errors';
import { Json, hasKey } from '../core/json';
import { TaskTemplateResource } from '../options/structure';

/** One custom resource that holds the controller's Job template. */
export interface TaskTemplateCrd {
  /** The CRD's name: `<plural>.scalr.io`. */
  readonly name: string;
  readonly plural: string;
  /** The controller variable that names the template object. */
  readonly envVariable: string;
  /** The CustomResourceDefinition's spec, as the chart installs it (imports/scalr.io.yaml). */
  readonly spec: Json;
}

const GROUP = 'scalr.io';

function crd(kind: string, plural: string, singular: string, shortName: string, envVariable: string, schema: Json): TaskTemplateCrd {
  return {
    name: `${plural}.${GROUP}`,
    plural,
    envVariable,
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { kind, plural, singular, shortNames: [shortName] },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { status: {} } }],
    },
  };
}

/** The custom resources of the chart generations, keyed by kind. */
const TASK_TEMPLATE_CRDS: { [resource: string]: TaskTemplateCrd } = {
  [TaskTemplateResource.AGENT_TASK]: crd('AgentTask', 'atasks', 'atask', 'at', 'SCALR_AGENT_KUBERNETES_JOB_TEMPLATE', {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { jobTemplate: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        required: ['jobTemplate'],
      },
    },
  }),
  [TaskTemplateResource.AGENT_TASK_TEMPLATE]: crd('AgentTaskTemplate', 'agenttasktemplates', 'agenttasktemplate', 'att', 'SCALR_AGENT_KUBERNETES_TASK_TEMPLATE', {
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
};

/**
 * The custom resource of this kind, or an error naming the prop (a value from outside the
 * type system: a plain string from JavaScript or Python).
 */
export function taskTemplateCrd(resource: TaskTemplateResource, path = 'taskTemplateResource'): TaskTemplateCrd {
  if (typeof resource !== 'string' || !hasKey(TASK_TEMPLATE_CRDS, resource)) {
    invalid(path, resource, `one of ${Object.values(TaskTemplateResource).join(', ')}`);
  }
  return TASK_TEMPLATE_CRDS[resource];
}

/** The ClusterRole rules that let the controller read its task templates. */
export function clusterRulesFor(resource: TaskTemplateResource): Json[] {
  return [{ apiGroups: [GROUP], resources: [taskTemplateCrd(resource).plural], verbs: ['get', 'list', 'watch'] }];
}
