import { Json } from './pod';

const VERBS_ALL = ['get', 'list', 'watch', 'create', 'delete', 'deletecollection', 'patch', 'update'];

/** The chart's default Role rules (`rbac.rules`). */
export const DEFAULT_RULES: Json[] = [
  { apiGroups: [''], resources: ['pods'], verbs: VERBS_ALL },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: VERBS_ALL },
  { apiGroups: ['batch'], resources: ['jobs/status'], verbs: ['get', 'patch', 'update'] },
];

/** The chart's default ClusterRole rules (`rbac.clusterRules`). */
export const DEFAULT_CLUSTER_RULES: Json[] = [{ apiGroups: ['scalr.io'], resources: ['atasks'], verbs: ['get', 'list', 'watch'] }];
