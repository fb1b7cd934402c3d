import { Json } from '../core/json';
import {
  AgentEnvContract, ClusterRoleScope, ResourceNaming, TaskPodLayout, TaskTemplateResource,
} from '../options/structure';

/**
 * Everything that distinguishes one release of the `agent-job` chart: its values.yaml (the
 * defaults, written once, from which both the typed defaults and the Helm values defaults come)
 * and the defaults of the typed options in which chart generations differ.
 */
export interface VersionProfile {
  /** The chart version, such as "0.6.5". */
  readonly version: string;
  /** The agent version it deploys (the `app.kubernetes.io/version` label and the default image tag). */
  readonly appVersion: string;
  /** The name in object names and the `app.kubernetes.io/name` label, unless nameOverride. */
  readonly defaultName: string;
  /** The chart's values.yaml. */
  readonly values: Json;
  /** Values maps whose keys are the user's (labels, environment, Kubernetes structures). */
  readonly openMaps: readonly string[];
  /** Keys a fixed map may hold although values.yaml does not list them. */
  readonly optionalKeys: { readonly [path: string]: readonly string[] };
  /** The structural options' defaults. */
  readonly resourceNames: ResourceNaming;
  readonly taskTemplateResource: TaskTemplateResource;
  readonly podLayout: TaskPodLayout;
  readonly envContract: AgentEnvContract;
  readonly clusterRoleScope: ClusterRoleScope;
  readonly controllerCache: boolean;
  readonly podFailurePolicy: boolean;
  readonly doNotEvict: boolean;
  readonly labelPods: boolean;
  /** The pod annotations `task.doNotEvict` adds. */
  readonly doNotEvictAnnotations: { readonly [key: string]: string };
}

/** `global.podSecurityContext` as both chart versions default it (the pods of the controller and of the tasks). */
export const POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  fsGroupChangePolicy: 'OnRootMismatch',
  supplementalGroups: [],
  sysctls: [],
  seLinuxOptions: {},
  seccompProfile: { type: 'RuntimeDefault' },
};

export const RUNNER_SECURITY_CONTEXT = {
  seLinuxOptions: {},
  runAsNonRoot: true,
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

const VERBS_ALL = ['get', 'list', 'watch', 'create', 'delete', 'deletecollection', 'patch', 'update'];

/** The Role rules of chart 0.5.62 (`rbac.rules`); 0.6.5 adds events. */
export const RBAC_RULES = [
  { apiGroups: [''], resources: ['pods'], verbs: VERBS_ALL },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: VERBS_ALL },
  { apiGroups: ['batch'], resources: ['jobs/status'], verbs: ['get', 'patch', 'update'] },
];

/** Maps whose keys are the user's, in both versions. */
export const COMMON_OPEN_MAPS = [
  'global.podAnnotations', 'global.podLabels', 'global.podSecurityContext',
  'serviceAccount.annotations', 'serviceAccount.labels',
  'agent.extraEnv', 'agent.nodeSelector', 'agent.affinity', 'agent.podAnnotations', 'agent.podLabels',
  'agent.podSecurityContext', 'agent.controller.securityContext',
  'task.nodeSelector', 'task.affinity', 'task.podAnnotations', 'task.podLabels', 'task.podSecurityContext',
  'task.worker.extraEnv', 'task.worker.securityContext', 'task.runner.extraEnv', 'task.runner.securityContext',
];
