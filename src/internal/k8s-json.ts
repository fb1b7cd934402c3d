import type * as kplus from 'cdk8s-plus-30';

// cdk8s-plus-30 is loaded only when a typed struct has to be converted to Kubernetes JSON.
// Loading it takes about 100 ms, which the Helm values path (the command-line program, whose
// free-form values are already Kubernetes JSON) never needs to pay.
let k8s: typeof kplus.k8s | undefined;
function lib(): typeof kplus.k8s {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  k8s ??= (require('cdk8s-plus-30') as typeof kplus).k8s;
  return k8s;
}

type Json = { [key: string]: any } | undefined;

/** Converters from the typed cdk8s-plus k8s structs to Kubernetes JSON, loaded on first use. */
export const k8sJson = {
  Affinity: (v: kplus.k8s.Affinity): Json => lib().toJson_Affinity(v),
  Container: (v: kplus.k8s.Container): Json => lib().toJson_Container(v),
  EnvFromSource: (v: kplus.k8s.EnvFromSource): Json => lib().toJson_EnvFromSource(v),
  EnvVar: (v: kplus.k8s.EnvVar): Json => lib().toJson_EnvVar(v),
  PodSecurityContext: (v: kplus.k8s.PodSecurityContext): Json => lib().toJson_PodSecurityContext(v),
  PolicyRule: (v: kplus.k8s.PolicyRule): Json => lib().toJson_PolicyRule(v),
  SecurityContext: (v: kplus.k8s.SecurityContext): Json => lib().toJson_SecurityContext(v),
  Toleration: (v: kplus.k8s.Toleration): Json => lib().toJson_Toleration(v),
  TopologySpreadConstraint: (v: kplus.k8s.TopologySpreadConstraint): Json => lib().toJson_TopologySpreadConstraint(v),
  Volume: (v: kplus.k8s.Volume): Json => lib().toJson_Volume(v),
  VolumeMount: (v: kplus.k8s.VolumeMount): Json => lib().toJson_VolumeMount(v),
};

// The values of the cdk8s-plus enums the library validates against, without loading cdk8s-plus
// (a unit test keeps them equal to the enums).
export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as kplus.ImagePullPolicy[];
export const IF_NOT_PRESENT = 'IfNotPresent' as kplus.ImagePullPolicy;
export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as kplus.PersistentVolumeAccessMode[];
export const READ_WRITE_ONCE = 'ReadWriteOnce' as kplus.PersistentVolumeAccessMode;
export const READ_WRITE_MANY = 'ReadWriteMany' as kplus.PersistentVolumeAccessMode;
export const EMPTY_DIR_MEDIUMS = ['', 'Memory'] as kplus.EmptyDirMedium[];
export const DIRECTORY_OR_CREATE = 'DirectoryOrCreate' as kplus.HostPathVolumeType;
export const DIRECTORY = 'Directory' as kplus.HostPathVolumeType;

/** A cdk8s-plus Cpu with this amount, without loading cdk8s-plus (Cpu is a plain holder of it). */
export function cpu(amount: string): kplus.Cpu {
  return { amount } as kplus.Cpu;
}
