import { Json } from './pod';
import { CommonOptions } from '../options';
import { CA_BUNDLE_PATH, CLIENT_CERTIFICATE_DIR } from '../tls';

/** The volumes and mounts of the CA bundle and client certificate. */
export interface ConnectionVolumes {
  /** Volumes for the pod. */
  readonly volumes: Json[];
  /** Mounts for every container (the CA bundle). */
  readonly commonMounts: Json[];
  /** Mounts for the agent containers only (the client certificate). */
  readonly agentMounts: Json[];
}

export function connectionVolumes(common: CommonOptions | undefined, fullname: string): ConnectionVolumes {
  const volumes: Json[] = [];
  const commonMounts: Json[] = [];
  const agentMounts: Json[] = [];
  const ca = common?.caBundle;
  if (ca) {
    volumes.push({
      name: 'ca-bundle',
      secret: { secretName: ca.secretName(fullname), items: [{ key: ca.key, path: 'ca-bundle.crt' }] },
    });
    commonMounts.push({ name: 'ca-bundle', mountPath: CA_BUNDLE_PATH, subPath: 'ca-bundle.crt', readOnly: true });
  }
  const cert = common?.clientCertificate;
  if (cert) {
    volumes.push({
      name: 'client-cert',
      secret: {
        secretName: cert.secretName,
        items: [{ key: cert.certKey, path: 'tls.crt' }, { key: cert.keyKey, path: 'tls.key' }],
      },
    });
    agentMounts.push({ name: 'client-cert', mountPath: CLIENT_CERTIFICATE_DIR, readOnly: true });
  }
  return { volumes, commonMounts, agentMounts };
}
