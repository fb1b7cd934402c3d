import type * as kplus from 'cdk8s-plus-30';

// cdk8s-plus-30 is loaded only when a typed struct or object has to be converted to Kubernetes
// JSON. Loading it takes about 100 ms, which the Helm values path (the command-line program,
// whose free-form values are already Kubernetes JSON) never needs to pay.
let plus: typeof kplus | undefined;
/** The cdk8s-plus-30 module, loaded on first use. */
export function cdk8sPlus(): typeof kplus {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  plus ??= require('cdk8s-plus-30') as typeof kplus;
  return plus;
}

type Json = { [key: string]: any } | undefined;

/** Converters from the typed cdk8s-plus k8s structs to Kubernetes JSON, loaded on first use. */
export const k8sJson: { [type: string]: (v: any) => Json } = {
  Affinity: (v: kplus.k8s.Affinity): Json => cdk8sPlus().k8s.toJson_Affinity(v),
  Container: (v: kplus.k8s.Container): Json => cdk8sPlus().k8s.toJson_Container(v),
  EnvFromSource: (v: kplus.k8s.EnvFromSource): Json => cdk8sPlus().k8s.toJson_EnvFromSource(v),
  EnvVar: (v: kplus.k8s.EnvVar): Json => cdk8sPlus().k8s.toJson_EnvVar(v),
  PodSecurityContext: (v: kplus.k8s.PodSecurityContext): Json => cdk8sPlus().k8s.toJson_PodSecurityContext(v),
  PolicyRule: (v: kplus.k8s.PolicyRule): Json => cdk8sPlus().k8s.toJson_PolicyRule(v),
  SecurityContext: (v: kplus.k8s.SecurityContext): Json => cdk8sPlus().k8s.toJson_SecurityContext(v),
  Toleration: (v: kplus.k8s.Toleration): Json => cdk8sPlus().k8s.toJson_Toleration(v),
  TopologySpreadConstraint: (v: kplus.k8s.TopologySpreadConstraint): Json => cdk8sPlus().k8s.toJson_TopologySpreadConstraint(v),
  Volume: (v: kplus.k8s.Volume): Json => cdk8sPlus().k8s.toJson_Volume(v),
  VolumeMount: (v: kplus.k8s.VolumeMount): Json => cdk8sPlus().k8s.toJson_VolumeMount(v),
};
