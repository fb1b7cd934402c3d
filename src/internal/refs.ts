import { ApiObject, Chart } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-30';
import { Construct, IConstruct } from 'constructs';
import { cdk8sPlus } from './k8s-json';
import { invalid } from '../core/errors';
import { checkDnsSubdomain } from '../core/names';
import { AgentToken } from '../token';

/**
 * The namespace a cdk8s-plus resource lives in, when the app defines it (an imported reference,
 * `Secret.fromSecretName`, has none: it is looked up in the pod's namespace).
 */
function namespaceOf(resource: IConstruct): string | undefined {
  const apiObject = (resource as { apiObject?: unknown }).apiObject;
  if (!ApiObject.isApiObject(apiObject)) return undefined;
  return apiObject.metadata.namespace ?? Chart.of(apiObject).namespace;
}

/**
 * The name of a cdk8s-plus resource the pool's pods refer to by name, which only works in the
 * pool's namespace.
 */
export function refName(path: string, resource: kplus.IResource, namespace: string): string {
  if (resource === null || typeof resource !== 'object' || typeof resource.name !== 'string') {
    invalid(path, resource, 'a cdk8s-plus resource (or a reference from fromXxxName)');
  }
  const name = checkDnsSubdomain(`${path}.name`, resource.name);
  const where = namespaceOf(resource);
  if (where !== undefined && where !== namespace) {
    invalid(`${path}.namespace`, where, `the pool's namespace "${namespace}": pods refer to it by name in their own namespace`);
  }
  return name;
}

/**
 * A reference to a Secret by name, like `kplus.Secret.fromSecretName`, for values read from a
 * Helm values file: it neither loads cdk8s-plus (the command never needs it) nor adds a construct
 * to the app (it is a root of its own).
 */
class SecretByName extends Construct implements kplus.ISecret {
  public readonly apiVersion = 'v1';
  public readonly apiGroup = '';
  public readonly kind = 'Secret';
  public readonly resourceType = 'secrets';

  constructor(public readonly name: string) {
    super(undefined as any, '');
  }

  public get resourceName(): string {
    return this.name;
  }

  public envValue(key: string, options?: kplus.EnvValueFromSecretOptions): kplus.EnvValue {
    const plus = cdk8sPlus();
    return plus.EnvValue.fromSecretValue({ secret: plus.Secret.fromSecretName(this, 'Secret', this.name), key }, options);
  }
}

/** A Secret reference by name (see SecretByName). */
export function secretByName(name: string): kplus.ISecret {
  return new SecretByName(name);
}

/** Where the pods find the token: the Secret's name and key, and the value when the library creates the Secret. */
export interface TokenSource {
  readonly secretName: string;
  readonly key: string;
  readonly value?: string;
}

/** The token's Secret, checked against the pool's namespace. */
export function tokenSource(token: AgentToken, fullname: string, namespace: string): TokenSource {
  if (token.secret) return { secretName: refName('token.secret', token.secret, namespace), key: token.key };
  if (token.existingSecretName) return { secretName: token.existingSecretName, key: token.key };
  return { secretName: fullname, key: token.key, value: token._secretValue() };
}

/** The pods with these labels in one namespace, as cdk8s-plus selects them (NetworkPolicy peers…). */
export function selectPods(scope: Construct, id: string, labels: { [key: string]: string }, namespace: string): kplus.Pods {
  const plus = cdk8sPlus();
  return plus.Pods.select(scope, id, {
    labels,
    namespaces: plus.Namespaces.select(scope, `${id}Namespace`, { names: [namespace] }),
  });
}
