import { keyForProp } from './keymap';
import { mapValues } from './mapping';
import { coalesce } from './merge';
import { checkKeys } from './schema';
import { registerValueSecrets } from './secrets';
import { Values } from './values';
import { AgentPoolProps } from '../agent-pool';
import { ChartVersion, resolveVersion } from '../chart-version';
import { AgentJobConfigError, invalid, problem } from '../core/errors';
import { Json, checkTree, isPlainObject, kindOf } from '../core/json';

/** Options of {@link AgentJobChart.fromHelmValues}. */
export interface HelmValuesOptions {
  /**
   * The release name (`helm install RELEASE`).
   * @default "scalr-agent"
   */
  readonly releaseName?: string;

  /**
   * The namespace of every namespaced object (`helm install --namespace`).
   * @default "default"
   */
  readonly namespace?: string;

  /**
   * The chart version whose values these are (`helm install --version`).
   * @default ChartVersion.LATEST
   */
  readonly version?: ChartVersion;

  /**
   * The values of the `agent-job` chart, as a parsed values.yaml (a map, or a dict in Python).
   * The chart's defaults apply to every key not given, as Helm applies them: maps are merged,
   * lists replaced and `null` removes a key.
   */
  readonly values: any;

  /**
   * Include the CRD (`helm install` installs it; `helm template` only with `--include-crds`).
   * @default true
   */
  readonly includeCrd?: boolean;
}

/**
 * The typed props that reproduce a release of the chart version installed with these values:
 * the chart's defaults applied, every key validated and mapped. Errors name the values' keys.
 */
export function helmValuesToProps(options: HelmValuesOptions): AgentPoolProps {
  if (!isPlainObject(options)) problem('options', `got ${kindOf(options)}; expected HelmValuesOptions: { values, version?, releaseName?, namespace?, includeCrd? }`);
  const version = resolveVersion('version', options.version);
  const user = options.values ?? {};
  registerValueSecrets(user);
  if (!isPlainObject(user)) problem('values', `got ${kindOf(user)}; expected a map of the chart's values (a parsed values.yaml)`);
  if (options.includeCrd !== undefined && typeof options.includeCrd !== 'boolean') invalid('includeCrd', options.includeCrd, 'true or false');
  const profile = version._profile;
  // Named by values keys already (renaming would turn a prop's name typed as a key into the key).
  checkKeys(profile, ChartVersion.all().filter((v) => v.version !== version.version).map((v) => v._profile), user);
  checkTree('', user, problem);
  try {
    const props = mapValues(new Values(coalesce(profile.values, user) as Json, profile), version);
    return { ...props, releaseName: options.releaseName, namespace: options.namespace, includeCrd: options.includeCrd ?? true };
  } catch (error) {
    throw toValuesError(error);
  }
}

/** A library error with the values' keys instead of the typed props' paths. */
export function toValuesError(error: unknown): unknown {
  if (!AgentJobConfigError.isAgentJobConfigError(error)) return error;
  return error._withPaths(keyForProp);
}
