import { Json } from '../core/json';
import { TaskPodLayout } from '../options/structure';

/** How one task pod layout places and starts the worker and the runner. */
export interface PodLayout {
  /** Whether the worker is a native sidecar (an init container that restarts always). */
  readonly workerIsSidecar: boolean;
  /** The runner's command. */
  readonly runnerCommand: string[];
  /** Where the runner sees the binary cache, and its directory in the cache volume. */
  readonly binaryCache: { readonly mountPath: string; readonly dir: string };
  /** Whether the agent image is mounted into the runner as an `image` volume (for `exec-loop`). */
  readonly agentImageVolume: boolean;
  /** The probes of the runner and the worker (the worker's name files under the data directory). */
  readonly probes?: { readonly runner: { started: string; healthy: string }; readonly workerFiles: { started: string; healthy: string } };
  /** The Job's podFailurePolicy, when enabled. */
  readonly podFailurePolicy: Json;
}

/** Where the agent image is mounted in the runner (IMAGE_VOLUME). */
export const AGENT_IMAGE_MOUNT = '/usr/bin/runner';

const LAYOUTS: { [layout: string]: PodLayout } = {
  [TaskPodLayout.WORKER_SIDECAR]: {
    workerIsSidecar: true,
    runnerCommand: ['/bin/sh', '/opt/scalr-agent/tacoagent/driver/exec_loop.sh'],
    binaryCache: { mountPath: '/opt/bin', dir: 'bin' },
    agentImageVolume: false,
    // The worker is an init container here: only the runner's exit decides.
    podFailurePolicy: {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'runner', operator: 'NotIn', values: [0] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    },
  },
  [TaskPodLayout.IMAGE_VOLUME]: {
    workerIsSidecar: false,
    runnerCommand: [`${AGENT_IMAGE_MOUNT}/exec-loop`],
    binaryCache: { mountPath: '/opt/binary-cache', dir: 'binaries' },
    agentImageVolume: true,
    probes: {
      runner: { started: '/tmp/exec-loop/started', healthy: '/tmp/exec-loop/healthy' },
      workerFiles: { started: 'started', healthy: 'healthy' },
    },
    podFailurePolicy: {
      rules: [
        { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
      ],
    },
  },
};

/** The layout's data. */
export function podLayout(layout: TaskPodLayout): PodLayout | undefined {
  return LAYOUTS[layout];
}

/** A startup and a liveness probe that test for a file, as the chart 0.6 probes. */
export function fileProbes(started: string, healthy: string): Json {
  const timing = { initialDelaySeconds: 60, periodSeconds: 5, timeoutSeconds: 1 };
  return {
    startupProbe: { exec: { command: ['test', '-f', started] }, ...timing },
    livenessProbe: { exec: { command: ['test', '-f', healthy] }, ...timing, failureThreshold: 1 },
  };
}
