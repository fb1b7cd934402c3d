import type * as kplus from 'cdk8s-plus-30';

// The values of the cdk8s-plus enums the library validates against, without loading cdk8s-plus
// at runtime (a unit test keeps them equal to the enums).
/** The largest value of the int32 fields most Kubernetes numbers land in (counts, seconds, IDs). */
export const INT32_MAX = 2147483647;

export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as kplus.ImagePullPolicy[];
export const IF_NOT_PRESENT = 'IfNotPresent' as kplus.ImagePullPolicy;
export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as kplus.PersistentVolumeAccessMode[];
export const READ_WRITE_ONCE = 'ReadWriteOnce' as kplus.PersistentVolumeAccessMode;
export const READ_WRITE_MANY = 'ReadWriteMany' as kplus.PersistentVolumeAccessMode;
export const EMPTY_DIR_MEDIUMS = ['', 'Memory'] as kplus.EmptyDirMedium[];
export const DIRECTORY_OR_CREATE = 'DirectoryOrCreate' as kplus.HostPathVolumeType;
export const DIRECTORY = 'Directory' as kplus.HostPathVolumeType;
