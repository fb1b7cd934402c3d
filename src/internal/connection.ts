import { refName } from './refs';
import { Json } from '../core/json';
import { CommonOptions } from '../options/common';
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

export function connectionVolumes(common: CommonOptions | undefined, fullname: string, namespace: string): ConnectionVolumes {
  const volumes: Json[] = [];
  const commonMounts: Json[] = [];
  const agentMounts: Json[] = [];
  const ca = common?.caBundle;
  if (ca) {
    const secretName = ca.secret ? refName('common.caBundle.secret', ca.secret, namespace) : ca.secretName(fullname);
    // The item keeps the key's name, as chart 0.6.5 mounts it.
    volumes.push({ name: 'ca-bundle', secret: { secretName, items: [{ key: ca.key, path: ca.key }] } });
    commonMounts.push({ name: 'ca-bundle', mountPath: CA_BUNDLE_PATH, subPath: ca.key, readOnly: true });
  }
  const cert = common?.clientCertificate;
  if (cert) {
    const secretName = cert.secret ? refName('common.clientCertificate.secret', cert.secret, namespace) : cert.secretName(fullname);
    volumes.push({
      name: 'client-cert',
      secret: { secretName, items: [{ key: cert.certKey, path: 'tls.crt' }, { key: cert.keyKey, path: 'tls.key' }] },
    });
    agentMounts.push({ name: 'client-cert', mountPath: CLIENT_CERTIFICATE_DIR, readOnly: true });
  }
  return { volumes, commonMounts, agentMounts };
}
