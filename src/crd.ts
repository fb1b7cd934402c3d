import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ChartVersion } from './chart-version';
import { clusterObject } from './internal/objects';
import { TaskTemplateResource } from './options/structure';
import { taskTemplateCrd } from './versions/crds';

/** Props of {@link AgentTaskCrd}. */
export interface AgentTaskCrdProps {
  /**
   * The custom resource to define.
   * @default - the latest chart version's: TaskTemplateResource.AGENT_TASK_TEMPLATE
   */
  readonly resource?: TaskTemplateResource;
}

/**
 * The CustomResourceDefinition of the task template: `agenttasktemplates.scalr.io` (chart 0.6.5)
 * or `atasks.scalr.io` (chart 0.5.62). Cluster-scoped and shared by every agent pool of the
 * cluster: create it once, for example in a chart of its own that is applied before the pools.
 */
export class AgentTaskCrd extends Construct {
  /** The name of the AgentTask CRD (chart 0.5.62). */
  public static readonly NAME = taskTemplateCrd(TaskTemplateResource.AGENT_TASK).name;
  /** The name of the AgentTaskTemplate CRD (chart 0.6.5). */
  public static readonly TEMPLATE_NAME = taskTemplateCrd(TaskTemplateResource.AGENT_TASK_TEMPLATE).name;

  /** The CustomResourceDefinition object. */
  public readonly crd: ApiObject;
  /** The CRD's name. */
  public readonly name: string;
  /** The custom resource it defines. */
  public readonly resource: TaskTemplateResource;

  constructor(scope: Construct, id: string, props: AgentTaskCrdProps = {}) {
    super(scope, id);
    this.resource = props.resource ?? ChartVersion.LATEST._profile.taskTemplateResource;
    const definition = taskTemplateCrd(this.resource, 'resource');
    this.name = definition.name;
    this.crd = clusterObject(this, 'Resource', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', { name: definition.name },
      { spec: definition.spec });
  }
}
