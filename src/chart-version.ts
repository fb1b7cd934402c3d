import { invalid } from './core/errors';
import { VersionProfile } from './versions/profile';
import { V0_5_62 } from './versions/v0-5-62';
import { V0_6_5 } from './versions/v0-6-5';

const MARKER = Symbol.for('cdk8s-scalr-agent-job.ChartVersion');
const PROFILES: VersionProfile[] = [V0_5_62, V0_6_5];

/**
 * A release of Scalr's `agent-job` Helm chart whose objects a pool reproduces: its defaults,
 * names, custom resource, environment variables and pod layout.
 *
 * Pin the version in your app (`version: ChartVersion.V0_6_5`): the default follows the latest
 * version this library supports, so a library upgrade could otherwise change a running pool.
 */
export class ChartVersion {
  /** Chart 0.5.62, agent 0.55.2: the `AgentTask` custom resource (`atasks.scalr.io`). */
  public static readonly V0_5_62 = new ChartVersion(V0_5_62);

  /** Chart 0.6.5, agent 1.4.0: the `AgentTaskTemplate` custom resource (`agenttasktemplates.scalr.io`). */
  public static readonly V0_6_5 = new ChartVersion(V0_6_5);

  /** The latest chart version this library supports (today 0.6.5): the default. */
  public static readonly LATEST = ChartVersion.V0_6_5;

  /**
   * The chart version with this number.
   * @param version such as "0.6.5"
   */
  public static of(version: string): ChartVersion {
    const found = ChartVersion.all().find((v) => v.version === version);
    if (!found) invalid('version', version, `a supported chart version: ${ChartVersion.all().map((v) => v.version).join(', ')}`);
    return found;
  }

  /** Every chart version this library supports, oldest first. */
  public static all(): ChartVersion[] {
    return [ChartVersion.V0_5_62, ChartVersion.V0_6_5];
  }

  /**
   * Whether a value is a ChartVersion, from any copy of this package.
   * @param x anything
   */
  public static isChartVersion(x: any): x is ChartVersion {
    return x !== null && typeof x === 'object' && x[MARKER] === true;
  }

  /** The chart version, such as "0.6.5". */
  public readonly version: string;
  /** The agent version the chart deploys: the default image tag and the `app.kubernetes.io/version` label. */
  public readonly appVersion: string;
  /** The name used in object names and the `app.kubernetes.io/name` label unless `nameOverride` is set. */
  public readonly defaultName: string;

  private constructor(profile: VersionProfile) {
    this.version = profile.version;
    this.appVersion = profile.appVersion;
    this.defaultName = profile.defaultName;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** @internal the chart's defaults and structure (looked up by number, so copies of the package agree) */
  public get _profile(): VersionProfile {
    const profile = PROFILES.find((p) => p.version === this.version);
    if (!profile) invalid('version', this.version, `a supported chart version: ${PROFILES.map((p) => p.version).join(', ')}`);
    return profile;
  }

  /** The version number. */
  public toString(): string {
    return this.version;
  }
}

/** The chart version given in props (from any copy of the package), or the latest. */
export function resolveVersion(path: string, given: unknown): ChartVersion {
  if (given === undefined) return ChartVersion.LATEST;
  if (!ChartVersion.isChartVersion(given)) invalid(path, given, 'a ChartVersion such as ChartVersion.V0_6_5');
  return ChartVersion.of(given.version);
}
