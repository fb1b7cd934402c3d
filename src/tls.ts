import * as kplus from 'cdk8s-plus-30';
import { REDACTED, invalid } from './core/errors';
import { checkDnsSubdomain, checkSecretKey, checkSecretRef } from './core/names';
import { registerSecret } from './core/redact';

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----$/;
const PEM_KEY = /^-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----\r?\n[A-Za-z0-9+/=:,\- \r\n]+-----END \1-----\r?\n?$/;
const CA_MARKER = Symbol.for('cdk8s-scalr-agent-job.CaBundle');
const CERT_MARKER = Symbol.for('cdk8s-scalr-agent-job.ClientCertificate');

/** Where the CA bundle is mounted in the controller, worker and runner. */
export const CA_BUNDLE_PATH = '/etc/ssl/certs/scalr-ca-bundle.crt';
/** The directory the client certificate and key are mounted in (controller and worker). */
export const CLIENT_CERTIFICATE_DIR = '/etc/scalr-agent/ssl';

/** The most data a Secret may hold (the API server's limit). */
const SECRET_LIMIT = 1024 * 1024;

/** PEM certificates, one or more blocks, normalised to one newline between blocks and at the end. */
function pemCertificates(path: string, pem: string): string {
  if (typeof pem === 'string' && pem.length > SECRET_LIMIT) {
    invalid(path, `${pem.length} characters`, `at most ${SECRET_LIMIT} bytes: the API server refuses a larger Secret`);
  }
  const text = typeof pem === 'string' ? pem.trim() : '';
  const blocks = text.split(/(?<=-----END CERTIFICATE-----)\s*/).filter((b) => b !== '');
  if (blocks.length === 0 || !blocks.every((b) => PEM_CERTIFICATE.test(b))) {
    // The text itself is not shown: it may be a private key given in the wrong place.
    invalid(path, typeof pem === 'string' ? `${pem.length} characters that are not only PEM certificates` : pem,
      'one or more PEM certificates ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----"), nothing else');
  }
  return `${blocks.join('\n')}\n`;
}

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
  public static fromSecretName(secretName: string, key?: string): CaBundle {
    checkDnsSubdomain('common.caBundle.secretName', secretName);
    return new CaBundle(secretName, undefined, checkSecretKey('common.caBundle.key', key ?? 'ca-bundle.crt'), undefined);
  }

  /**
   * A key of a cdk8s-plus Secret in the release namespace.
   * @param secret the Secret
   * @param key the key holding the PEM bundle
   * @default key "ca-bundle.crt"
   */
  public static fromSecret(secret: kplus.ISecret, key?: string): CaBundle {
    const name = checkSecretRef('common.caBundle.secret', secret);
    return new CaBundle(name, secret, checkSecretKey('common.caBundle.key', key ?? 'ca-bundle.crt'), undefined);
  }

  /**
   * PEM-encoded certificates. The library stores them in a Secret `<fullname>-ca-bundle`.
   * @param pem one or more `-----BEGIN CERTIFICATE-----` blocks
   * @param key the key of the Secret the library creates
   * @default key "ca-bundle.crt"
   */
  public static fromPem(pem: string, key?: string): CaBundle {
    return new CaBundle(undefined, undefined, checkSecretKey('common.caBundle.key', key ?? 'ca-bundle.crt'), pemCertificates('common.caBundle', pem));
  }

  /**
   * Whether a value is a CaBundle, from any copy of this package.
   * @param x anything
   */
  public static isCaBundle(x: any): x is CaBundle {
    return x !== null && typeof x === 'object' && x[CA_MARKER] === true;
  }

  /** The existing Secret's name, when the bundle comes from one. */
  public readonly existingSecretName?: string;
  /** The cdk8s-plus Secret, when given as an object. */
  public readonly secret?: kplus.ISecret;
  /** The Secret key that holds the bundle. */
  public readonly key: string;
  /** The PEM text, when the library creates the Secret. */
  public readonly pem?: string;

  private constructor(secretName: string | undefined, secret: kplus.ISecret | undefined, key: string, pem: string | undefined) {
    this.existingSecretName = secretName;
    this.secret = secret;
    this.key = key;
    this.pem = pem;
    Object.defineProperty(this, CA_MARKER, { value: true });
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
  public static fromSecretName(secretName: string, certKey?: string, keyKey?: string): ClientCertificate {
    checkDnsSubdomain('common.clientCertificate.secretName', secretName);
    return new ClientCertificate(secretName, undefined, ...checkKeys(certKey, keyKey), undefined, undefined);
  }

  /**
   * Keys of a cdk8s-plus Secret in the release namespace.
   * @param secret the Secret
   * @param certKey the key holding the PEM certificate (chain)
   * @param keyKey the key holding the PEM private key
   * @default certKey "tls.crt", keyKey "tls.key"
   */
  public static fromSecret(secret: kplus.ISecret, certKey?: string, keyKey?: string): ClientCertificate {
    const name = checkSecretRef('common.clientCertificate.secret', secret);
    return new ClientCertificate(name, secret, ...checkKeys(certKey, keyKey), undefined, undefined);
  }

  /**
   * A PEM certificate (chain) and private key. The library stores them in a Secret
   * `<fullname>-client-cert`. The key never appears in a message.
   * @param certificate the PEM certificate (chain)
   * @param privateKey the PEM private key
   * @param certKey the Secret key for the certificate
   * @param keyKey the Secret key for the private key
   * @default certKey "tls.crt", keyKey "tls.key"
   */
  public static fromPem(certificate: string, privateKey: string, certKey?: string, keyKey?: string): ClientCertificate {
    registerSecret(privateKey);
    const cert = pemCertificates('common.clientCertificate.certificate', certificate);
    if (typeof privateKey === 'string' && cert.length + privateKey.length > SECRET_LIMIT) {
      invalid('common.clientCertificate', `${cert.length + privateKey.length} bytes`, `at most ${SECRET_LIMIT} bytes for the certificate and key together: the API server refuses a larger Secret`);
    }
    if (typeof privateKey !== 'string' || !PEM_KEY.test(privateKey.trim() + '\n')) {
      invalid('common.clientCertificate.privateKey', REDACTED, 'a PEM private key ("-----BEGIN PRIVATE KEY-----" ... "-----END PRIVATE KEY-----")');
    }
    return new ClientCertificate(undefined, undefined, ...checkKeys(certKey, keyKey), cert, `${privateKey.trim()}\n`);
  }

  /**
   * Whether a value is a ClientCertificate, from any copy of this package.
   * @param x anything
   */
  public static isClientCertificate(x: any): x is ClientCertificate {
    return x !== null && typeof x === 'object' && x[CERT_MARKER] === true;
  }

  /** The existing Secret's name, when the certificate comes from one. */
  public readonly existingSecretName?: string;
  /** The cdk8s-plus Secret, when given as an object. */
  public readonly secret?: kplus.ISecret;
  /** The key holding the certificate. */
  public readonly certKey: string;
  /** The key holding the private key. */
  public readonly keyKey: string;
  /** The PEM certificate, when the library creates the Secret. */
  public readonly certificatePem?: string;
  private readonly keyPem?: string;

  private constructor(secretName: string | undefined, secret: kplus.ISecret | undefined, certKey: string, keyKey: string,
    certificatePem: string | undefined, keyPem: string | undefined) {
    this.existingSecretName = secretName;
    this.secret = secret;
    this.certKey = certKey;
    this.keyKey = keyKey;
    this.certificatePem = certificatePem;
    Object.defineProperty(this, 'keyPem', { value: keyPem, enumerable: false });
    Object.defineProperty(this, CERT_MARKER, { value: true });
  }

  /**
   * The name of the Secret the pods mount.
   * @param fullname the release fullname (for the Secret the library creates)
   */
  public secretName(fullname: string): string {
    return this.existingSecretName ?? `${fullname}-client-cert`;
  }

  /** @internal the private key, when the library creates the Secret */
  public _privateKeyPem(): string | undefined {
    return this.keyPem;
  }
}

function checkKeys(certKey: string | undefined, keyKey: string | undefined): [string, string] {
  const cert = checkSecretKey('common.clientCertificate.certKey', certKey ?? 'tls.crt');
  const key = checkSecretKey('common.clientCertificate.keyKey', keyKey ?? 'tls.key');
  if (cert === key) invalid('common.clientCertificate.keyKey', key, `a key other than certKey ("${cert}")`);
  return [cert, key];
}
