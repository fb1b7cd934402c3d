/**
 * A throw-away, local-only Kubernetes control plane (etcd + kube-apiserver)
 * for conformance tests that server-side dry-run synthesized manifests.
 *
 * - binaries come from ./build-binaries.sh (built from source with Go, cached);
 * - everything listens on 127.0.0.1 only, on random free ports;
 * - the apiserver self-signs its serving certificate (--cert-dir) and
 *   authenticates an admin user (group system:masters) with a static token;
 * - no controller-manager, scheduler or kubelet: objects are stored but
 *   nothing reconciles them (which is all a dry-run suite needs).
 *
 * Both servers are started through a tiny `sh` watchdog that kills the server
 * as soon as its stdin (a pipe held by this Node process) closes, so they die
 * with the Node process even on SIGKILL or a crashed jest worker.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export interface KubectlResult {
  /** exit status (null if killed, e.g. by the timeout) */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ControlPlane {
  /** path of an admin kubeconfig (context namespace: default) */
  readonly kubeconfig: string;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** bearer token of the admin user (system:masters) */
  readonly token: string;
  /** directory holding the kube-apiserver, kubectl and etcd binaries */
  readonly binDir: string;
  /** temp dir holding data, certs and server logs (removed by stop()) */
  readonly dir: string;
  /** `kubectl --kubeconfig <kubeconfig> ...args`, synchronously; stdin is optional */
  kubectl(args: string[], stdin?: string): KubectlResult;
  /** kill etcd and kube-apiserver and remove the temp dir; idempotent */
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /**
   * Run build-binaries.sh first (instant when the binaries are cached).
   * @default true
   */
  readonly build?: boolean;
  /**
   * Use binaries from this directory instead of running build-binaries.sh.
   * @default $SCALR_K8S_BIN_DIR, else the output of build-binaries.sh
   */
  readonly binDir?: string;
  /** @default 180_000 */
  readonly readyTimeoutMs?: number;
  /** extra kube-apiserver flags (e.g. --feature-gates=...) */
  readonly extraApiServerArgs?: string[];
  /**
   * Keep the temp dir (data, logs, kubeconfig) after stop().
   * @default process.env.KEEP_CONTROL_PLANE_DIR === '1'
   */
  readonly keepDir?: boolean;
  /** Print progress to stderr. @default true */
  readonly verbose?: boolean;
}

const BUILD_SCRIPT = path.join(__dirname, 'build-binaries.sh');

/** Runs build-binaries.sh (cheap when cached) and returns the bin dir. */
export function ensureBinaries(): string {
  const res = spawnSync('bash', [BUILD_SCRIPT], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf-8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    throw new Error(`${BUILD_SCRIPT} failed with exit status ${res.status}`);
  }
  const lines = res.stdout.trim().split('\n');
  return lines[lines.length - 1].trim();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address() as net.AddressInfo;
      srv.close(() => resolve(addr.port));
    });
  });
}

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET a URL; resolves with the status code (0 on connection error). */
function probe(url: string, opts: https.RequestOptions = {}): Promise<{ code: number; body: string }> {
  return new Promise((resolve) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { ...opts, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf-8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ code: 0, body: String(e) }));
  });
}

/**
 * Watchdog wrapper: runs "$@" in the background with stdin from /dev/null,
 * writes its pid to $PIDFILE, and kills it (SIGKILL) when our stdin reaches
 * EOF (i.e. when the Node process closes the pipe or dies). Exits with the
 * server's exit status if the server dies on its own. If $CLEANUP_DIR is set
 * and the server was killed because of EOF (e.g. Node was SIGKILLed and could
 * not clean up), removes that directory.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'child=$!',
  'echo "$child" > "$PIDFILE"',
  '( while read -r _ <&3; do :; done; : > "$PIDFILE.eof"; kill -KILL "$child" 2>/dev/null ) 0<&3 &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$child"; rc=$?',
  'kill "$watcher" 2>/dev/null',
  'if [ -n "$CLEANUP_DIR" ] && [ -e "$PIDFILE.eof" ]; then sleep 1; rm -rf "$CLEANUP_DIR"; fi',
  'exit "$rc"',
].join('\n');

interface Server {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly logFile: string;
  readonly pidFile: string;
  exited: boolean;
  exitCode: number | null;
}

function startServer(name: string, bin: string, args: string[], dir: string, cleanupDir?: string): Server {
  const logFile = path.join(dir, `${name}.log`);
  const pidFile = path.join(dir, `${name}.pid`);
  const logFd = fs.openSync(logFile, 'a');
  const proc = spawn('sh', ['-c', WATCHDOG, `${name}-watchdog`, bin, ...args], {
    stdio: ['pipe', logFd, logFd],
    detached: false,
    env: { ...process.env, PIDFILE: pidFile, CLEANUP_DIR: cleanupDir ?? '' },
  });
  fs.closeSync(logFd);
  const server: Server = { name, proc, logFile, pidFile, exited: false, exitCode: null };
  proc.on('exit', (code) => {
    server.exited = true;
    server.exitCode = code;
  });
  // do not keep the event loop alive because of the servers
  proc.unref();
  (proc.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return server;
}

function killServerSync(s: Server) {
  try {
    const pid = parseInt(fs.readFileSync(s.pidFile, 'utf-8').trim(), 10);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone / never started */
  }
  try {
    s.proc.stdin?.destroy();
  } catch {
    /* ignore */
  }
  try {
    s.proc.kill('SIGKILL');
  } catch {
    /* ignore */
  }
}

async function waitForExit(s: Server, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!s.exited && Date.now() < deadline) await sleep(50);
}

/** error lines (klog E/F, etcd "error"/"fatal") followed by the last lines of a log */
function tail(file: string, lines = 40): string {
  try {
    const all = fs.readFileSync(file, 'utf-8').trimEnd().split('\n');
    const errors = all.filter((l) => /^[EF]\d{4} |"level":"(error|fatal|panic)"/.test(l)).slice(-20);
    return [...(errors.length ? ['(error lines)', ...errors, '(last lines)'] : []), ...all.slice(-lines)].join('\n');
  } catch (e) {
    return `(cannot read ${file}: ${e})`;
  }
}

/** Starts etcd and kube-apiserver; resolves once /readyz is ok. */
export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const verbose = opts.verbose ?? true;
  const log = (msg: string) => {
    if (verbose) process.stderr.write(`[control-plane] ${msg}\n`);
  };
  const t0 = Date.now();

  const binDir =
    opts.binDir ?? process.env.SCALR_K8S_BIN_DIR ?? (opts.build === false ? undefined : ensureBinaries());
  if (!binDir) throw new Error('no binDir given and build=false');
  const bin = (n: string) => {
    const p = path.join(binDir, n);
    if (!fs.existsSync(p)) throw new Error(`missing binary ${p}; run ${BUILD_SCRIPT}`);
    return p;
  };
  const etcdBin = bin('etcd');
  const apiserverBin = bin('kube-apiserver');
  const kubectlBin = bin('kubectl');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scalr-k8s-'));
  const keepDir = opts.keepDir ?? process.env.KEEP_CONTROL_PLANE_DIR === '1';
  const servers: Server[] = [];
  let stopped = false;

  const cleanupSync = () => {
    for (const s of servers) killServerSync(s);
    if (!keepDir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  const onExit = () => {
    if (!stopped) {
      stopped = true;
      cleanupSync();
    }
  };
  process.on('exit', onExit);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    // apiserver first (it would otherwise log etcd connection errors)
    for (const s of [...servers].reverse()) {
      killServerSync(s);
      await waitForExit(s, 5000);
    }
    if (!keepDir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    else log(`kept ${dir}`);
  };

  try {
    const [etcdClientPort, etcdPeerPort, apiPort] = await distinctFreePorts(3);

    // --- etcd -----------------------------------------------------------
    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcd = startServer(
      'etcd',
      etcdBin,
      [
        '--name=conformance',
        `--data-dir=${path.join(dir, 'etcd-data')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=conformance=${peerUrl}`,
        '--initial-cluster-state=new',
        '--unsafe-no-fsync', // test data only: skip fsync, much faster
        '--log-level=warn',
      ],
      dir,
      // if this Node process dies without running stop(), the etcd watchdog
      // removes the temp dir (etcd preallocates ~120 MB there)
      keepDir ? undefined : dir,
    );
    servers.push(etcd);

    // --- credentials ----------------------------------------------------
    const pki = path.join(dir, 'pki');
    fs.mkdirSync(pki, { mode: 0o700 });
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const saKey = path.join(pki, 'sa.key');
    const saPub = path.join(pki, 'sa.pub');
    fs.writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
    const token = crypto.randomBytes(24).toString('hex');
    const tokenFile = path.join(pki, 'tokens.csv');
    fs.writeFileSync(tokenFile, `${token},conformance-admin,conformance-admin,"system:masters"\n`, { mode: 0o600 });

    // wait for etcd before starting the apiserver (avoids noisy retries)
    {
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (etcd.exited) throw new Error(`etcd exited with status ${etcd.exitCode}`);
        const r = await probe(`${etcdUrl}/health`);
        if (r.code === 200) break;
        if (Date.now() > deadline) throw new Error(`etcd not healthy after 30s: ${r.code} ${r.body}`);
        await sleep(100);
      }
      log(`etcd ready on ${etcdUrl} (${Date.now() - t0}ms)`);
    }

    // --- kube-apiserver -------------------------------------------------
    const server = `https://127.0.0.1:${apiPort}`;
    const certDir = path.join(pki, 'serving');
    const apiserver = startServer(
      'kube-apiserver',
      apiserverBin,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        // a loopback advertise address is refused by the endpoint reconciler
        // (the "kubernetes" Service endpoints); nothing here needs them
        '--endpoint-reconciler-type=none',
        `--secure-port=${apiPort}`,
        `--cert-dir=${certDir}`, // self-signed serving cert
        '--service-cluster-ip-range=10.96.0.0/16',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        `--token-auth-file=${tokenFile}`,
        '--authorization-mode=RBAC',
        // in addition to the default plugins; PodSecurity is a default one, it is
        // listed because the suite relies on it
        '--enable-admission-plugins=PodSecurity',
        '--allow-privileged=true', // like kubeadm; leaves privileged pods to PodSecurity
        '--profiling=false',
        '--v=0',
        ...(opts.extraApiServerArgs ?? []),
      ],
      dir,
    );
    servers.push(apiserver);

    // --- kubeconfig -----------------------------------------------------
    const kubeconfig = path.join(dir, 'kubeconfig');
    const ca = path.join(certDir, 'apiserver.crt');
    const writeKubeconfig = (useCa: boolean) =>
      fs.writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          '- name: conformance',
          '  cluster:',
          `    server: ${server}`,
          useCa ? `    certificate-authority: ${ca}` : '    insecure-skip-tls-verify: true',
          'users:',
          '- name: conformance-admin',
          '  user:',
          `    token: ${token}`,
          'contexts:',
          '- name: conformance',
          '  context:',
          '    cluster: conformance',
          '    user: conformance-admin',
          '    namespace: default',
          'current-context: conformance',
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
    writeKubeconfig(false);

    {
      const timeoutMs = opts.readyTimeoutMs ?? 180_000;
      const deadline = Date.now() + timeoutMs;
      let last = { code: 0, body: '' };
      for (;;) {
        if (apiserver.exited) throw new Error(`kube-apiserver exited with status ${apiserver.exitCode}`);
        if (etcd.exited) throw new Error(`etcd exited with status ${etcd.exitCode}`);
        last = await probe(`${server}/readyz`, {
          headers: { Authorization: `Bearer ${token}` },
          rejectUnauthorized: false,
        });
        if (last.code === 200) break;
        if (Date.now() > deadline) {
          throw new Error(`kube-apiserver not ready after ${timeoutMs}ms: HTTP ${last.code} ${last.body}`);
        }
        await sleep(200);
      }
    }
    // Verify TLS against the self-signed CA the apiserver wrote (chain file)
    if (fs.existsSync(ca)) {
      const r = await probe(`${server}/readyz`, {
        headers: { Authorization: `Bearer ${token}` },
        ca: fs.readFileSync(ca),
      });
      writeKubeconfig(r.code === 200);
    }
    log(`kube-apiserver ready on ${server} (${Date.now() - t0}ms); dir ${dir}`);

    const cacheDir = path.join(dir, 'kubectl-cache');
    const kubectl = (args: string[], stdin?: string): KubectlResult => {
      const res = spawnSync(kubectlBin, [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, ...args], {
        input: stdin ?? '',
        encoding: 'utf-8',
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (res.error && res.status === null && !res.signal) throw res.error;
      return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
    };

    return { kubeconfig, server, token, binDir, dir, kubectl, stop };
  } catch (err) {
    const logs = servers
      .map((s) => `----- ${s.name} log (${s.logFile}), last lines -----\n${tail(s.logFile)}`)
      .join('\n');
    process.stderr.write(`[control-plane] startup failed: ${err}\n${logs}\n`);
    stopped = true;
    process.removeListener('exit', onExit);
    cleanupSync();
    throw err;
  }
}
