import { invalid } from './internal/errors';
import { checkDnsSubdomain, checkSecretKey } from './internal/names';

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----$/;

/** Where the CA bundle is mounted in the controller, worker and runner. */
export const CA_BUNDLE_PATH = '/etc/ssl/certs/scalr-ca-bundle.crt';
/** The directory the client certificate and key are mounted in (controller and worker). */
export const CLIENT_CERTIFICATE_DIR = '/etc/scalr-agent/ssl';

/**
 * Certificate authorities the agent, Terraform/OpenTofu and every TLS client in the pods trust,
 * for a Scalr installation, proxy or registry behind a private CA.
 *
 * The bundle is mounted at `/etc/ssl/certs/scalr-ca-bundle.crt` in the controller, worker and
 * runner, and `SSL_CERT_FILE` and `SCALR_AGENT_CA_CERT` point at it. It **replaces** the
 * system's trusted CAs for programs that honour `SSL_CERT_FILE`: include the public roots too
 * when the runs also reach public endpoints.
 */
export class CaBundle {
  /**
   * A key of a Secret that already exists in the release namespace (for example one that
   * trust-manager or external-secrets keeps up to date). Because it is mounted with a subPath,
   * pods see a changed Secret only after a restart.
   * @param secretName the Secret's name
   * @param key the key holding the PEM bundle
   * @default key "ca-bundle.crt"
   */
  public static fromSecret(secretName: string, key?: string): CaBundle {
    checkDnsSubdomain('common.caBundle.secretName', secretName);
    return new CaBundle(secretName, checkSecretKey('common.caBundle.key', key ?? 'ca-bundle.crt'), undefined);
  }

  /**
   * PEM-encoded certificates. The library stores them in a Secret `<fullname>-ca-bundle`.
   * @param pem one or more `-----BEGIN CERTIFICATE-----` blocks
   */
  public static fromPem(pem: string): CaBundle {
    const text = typeof pem === 'string' ? pem.trim() : '';
    const blocks = text.split(/(?<=-----END CERTIFICATE-----)\s*/).filter((b) => b !== '');
    if (blocks.length === 0 || !blocks.every((b) => PEM_CERTIFICATE.test(b))) {
      invalid('common.caBundle', typeof pem === 'string' ? `${pem.slice(0, 40)}...` : pem,
        'one or more PEM certificates ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----"), nothing else');
    }
    return new CaBundle(undefined, 'ca-bundle.crt', `${blocks.join('\n')}\n`);
  }

  /** The existing Secret, when the bundle comes from one. */
  public readonly existingSecretName?: string;
  /** The Secret key that holds the bundle. */
  public readonly key: string;
  /** The PEM text, when the library creates the Secret. */
  public readonly pem?: string;

  private constructor(secretName: string | undefined, key: string, pem: string | undefined) {
    this.existingSecretName = secretName;
    this.key = key;
    this.pem = pem;
  }

  /**
   * The name of the Secret the pods mount.
   * @param fullname the release fullname (for the Secret the library creates)
   */
  public secretName(fullname: string): string {
    return this.existingSecretName ?? `${fullname}-ca-bundle`;
  }
}

/**
 * A client certificate and key the agent (controller and worker) presents to Scalr for mutual
 * TLS. Mounted at `/etc/scalr-agent/ssl/tls.crt` and `tls.key`; `SCALR_AGENT_TLS_CERT_FILE` and
 * `SCALR_AGENT_TLS_KEY_FILE` point at them. The runner never sees it.
 */
export class ClientCertificate {
  /**
   * Keys of a Secret in the release namespace, such as a `kubernetes.io/tls` Secret that
   * cert-manager issues.
   * @param secretName the Secret's name
   * @param certKey the key holding the PEM certificate (chain)
   * @param keyKey the key holding the PEM private key
   * @default certKey "tls.crt", keyKey "tls.key"
   */
  public static fromSecret(secretName: string, certKey?: string, keyKey?: string): ClientCertificate {
    checkDnsSubdomain('common.clientCertificate.secretName', secretName);
    const cert = checkSecretKey('common.clientCertificate.certKey', certKey ?? 'tls.crt');
    const key = checkSecretKey('common.clientCertificate.keyKey', keyKey ?? 'tls.key');
    if (cert === key) invalid('common.clientCertificate.keyKey', key, `a key other than certKey ("${cert}")`);
    return new ClientCertificate(secretName, cert, key);
  }

  /** The Secret's name. */
  public readonly secretName: string;
  /** The key holding the certificate. */
  public readonly certKey: string;
  /** The key holding the private key. */
  public readonly keyKey: string;

  private constructor(secretName: string, certKey: string, keyKey: string) {
    this.secretName = secretName;
    this.certKey = certKey;
    this.keyKey = keyKey;
  }
}
