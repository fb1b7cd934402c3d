import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { CaBundle, ClientCertificate } from '../tls';

/** The log format of the agent (`SCALR_AGENT_LOG_FORMAT`). */
export enum LogFormat {
  /** One JSON object per line, for log collectors. */
  JSON = 'json',
  /** Plain text. */
  PLAIN = 'plain',
  /** Coloured, human-friendly output for development. */
  DEV = 'dev',
}

/** A container image, as the chart's `image` values describe it. */
export interface ImageOptions {
  /**
   * The repository, without registry prefix when `common.imageRegistry` is used.
   * @default - the component's image: `scalr/agent` for the controller and worker; for the runner
   * `scalr/agent-runner` (chart 0.5.62) or `scalr/runner` (chart 0.6.5)
   */
  readonly repository?: string;

  /**
   * The tag (or a digest such as `sha256:...`).
   * @default - the chart version's agent version (0.55.2 or 1.4.0); for the runner of chart 0.6.5, 0.2.0
   */
  readonly tag?: string;

  /**
   * When the kubelet pulls the image.
   * @default kplus.ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: kplus.ImagePullPolicy;
}

/**
 * An HTTP(S) proxy for outgoing connections of the controller, worker and runner (the standard
 * `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` variables).
 */
export interface ProxyOptions {
  /**
   * The proxy for `http://` URLs (`HTTP_PROXY`), such as `http://proxy.internal:3128`.
   * @default - not set
   */
  readonly httpProxy?: string;

  /**
   * The proxy for `https://` URLs (`HTTPS_PROXY`), such as `http://proxy.internal:3128`.
   * @default - not set
   */
  readonly httpsProxy?: string;

  /**
   * Hosts, domains (`.example.com`), IP addresses and CIDRs reached directly (`NO_PROXY`,
   * comma-separated). Include the Kubernetes API (`kubernetes.default.svc`, the service CIDR) and
   * in-cluster services such as the OTLP collector.
   * @default - not set
   */
  readonly noProxy?: string[];
}

/** Settings shared by every pod of the release (the chart's `global` values). */
export interface CommonOptions {
  /**
   * Labels added to the metadata of every object of the release (not the shared CRD), and to
   * the Job of each run. The selector keys `app.kubernetes.io/name`, `instance` and `component`
   * cannot be set. More specific labels (`agent.labels`, `task.jobLabels`, pod labels) win on the
   * same key.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to the metadata of every object of the release (not the shared CRD), and
   * to the Job of each run. More specific annotations win on the same key.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Also put `labels` on the controller and task pods (pod labels win on the same key).
   * Changing it restarts the controller.
   * @default - the chart version's: false (0.5.62) or true (0.6.5)
   */
  readonly labelPods?: boolean;

  /**
   * An HTTP(S) proxy for the controller, worker and runner.
   * @default - no proxy variables are set
   */
  readonly proxy?: ProxyOptions;

  /**
   * Certificate authorities trusted by the controller, worker and runner instead of the system's.
   * @default - the images' system CAs
   */
  readonly caBundle?: CaBundle;

  /**
   * A client certificate for mutual TLS between the agent (controller and worker) and Scalr.
   * @default - none
   */
  readonly clientCertificate?: ClientCertificate;

  /**
   * A registry (and optional path) put in front of every image: `registry.example.com/mirror`.
   * @default - images are pulled from Docker Hub as named
   */
  readonly imageRegistry?: string;

  /**
   * A namespace that replaces the path of every image repository (its last segment stays):
   * `mirror/scalr` turns `scalr/agent` into `mirror/scalr/agent`. Combines with `imageRegistry`.
   * @default - repositories as named
   */
  readonly imageNamespace?: string;

  /**
   * Secrets used to pull the images, on the controller and task pods. Import one by name with
   * `kplus.Secret.fromSecretName(scope, id, name)`.
   * @default - none
   */
  readonly imagePullSecrets?: kplus.ISecret[];

  /**
   * Annotations for the controller and task pods. A component's own annotation with the same
   * key wins.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * Labels for the controller and task pods. A component's own label with the same key wins.
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Pod security context for the controller and task pods, merged field by field under the
   * component's own (the component wins).
   * @default - runAsNonRoot, user, group and fsGroup 1000, fsGroupChangePolicy OnRootMismatch,
   * seccomp RuntimeDefault
   */
  readonly podSecurityContext?: kplus.k8s.PodSecurityContext;
}

/** Where the controller or task pods may run. */
export interface SchedulingOptions {
  /**
   * Node labels the pods require.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Taints the pods tolerate.
   * @default - none
   */
  readonly tolerations?: kplus.k8s.Toleration[];

  /**
   * Node and pod affinity of the pods.
   * @default - none
   */
  readonly affinity?: kplus.k8s.Affinity;
}

/** Pod-level options of a component (controller or task pod). */
export interface PodOptions extends SchedulingOptions {
  /**
   * Annotations of the component's pods; they win over `common.podAnnotations`.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * Labels of the component's pods; they win over `common.podLabels`.
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Pod security context fields that win over `common.podSecurityContext`.
   * @default - the common pod security context
   */
  readonly podSecurityContext?: kplus.k8s.PodSecurityContext;

  /**
   * How long the pod may take to stop gracefully. With the agent 1 environment it is also the
   * agent's own shutdown timeout (`SCALR_AGENT_WORKER_GRACE_SHUTDOWN_TIMEOUT`).
   * @default - the chart version's: controller 360 s (0.5.62) or 180 s (0.6.5); task pods 360 s
   */
  readonly terminationGracePeriod?: Duration;
}

/** A PodDisruptionBudget for the controller (only rendered with more than one replica). */
export interface PodDisruptionBudgetOptions {
  /**
   * Whether to create the budget when there is more than one replica.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The number of controller pods that must stay available. Cannot be set with `maxUnavailable`.
   * @default 1, unless `maxUnavailable` is set
   */
  readonly minAvailable?: number;

  /**
   * The number of controller pods that may be unavailable. Cannot be set with `minAvailable`.
   * @default - not set
   */
  readonly maxUnavailable?: number;

  /**
   * `minAvailable` as a percentage of replicas, such as "50%". Cannot be set with the other fields.
   * @default - not set
   */
  readonly minAvailablePercent?: string;

  /**
   * `maxUnavailable` as a percentage of replicas, such as "25%". Cannot be set with the other fields.
   * @default - not set
   */
  readonly maxUnavailablePercent?: string;
}
