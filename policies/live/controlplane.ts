// A throw-away Kubernetes control plane on loopback: one etcd and, per cluster, one kube-apiserver
// of the cluster's minor version, each with its own etcd prefix so clusters that share a minor
// (staging and prod) never see each other's objects. No controllers, scheduler or nodes run: the
// API server's own validation, defaulting and admission chain are what the live phase is after.
//
// Everything binds 127.0.0.1 on ports the OS hands out; a port taken between "free" and "bound"
// makes the process exit with "address already in use", and the start is retried on new ports.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startOnFreePorts, startProcess, waitFor } from "../../scripts/process.ts";
import { KubeClient } from "./kube.ts";

const READY_TIMEOUT_MS = 60_000;
/** The static admin of the throw-away API servers (group system:masters, so RBAC lets it do anything). */
const ADMIN = "greenlang-live-gate";

export interface Etcd {
  url: string;
  stop(): Promise<void>;
}

export interface ApiServer {
  client: KubeClient;
  /** The CA file that verifies the server's certificate, and the admin token (for a kubeconfig). */
  caFile: string;
  token: string;
  /** The server's own version string (`/version` gitVersion). */
  version: string;
  /** What the process printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startEtcd(binary: string, workDir: string): Promise<Etcd> {
  const url = ([client]: number[]) => `http://127.0.0.1:${client}`;
  const dataDir = ([client]: number[]) => join(workDir, `etcd-${client}`);
  const { proc, ports } = await startOnFreePorts(
    2,
    (ports) => {
      const peerUrl = `http://127.0.0.1:${ports[1]}`;
      return startProcess(binary, [
        "--name=live",
        `--data-dir=${dataDir(ports)}`,
        `--listen-client-urls=${url(ports)}`,
        `--advertise-client-urls=${url(ports)}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=live=${peerUrl}`,
        // A throw-away store: durability buys nothing and fsync costs most of an apply's time.
        "--unsafe-no-fsync",
        "--log-level=error",
      ]);
    },
    (proc, ports) =>
      waitFor(
        "etcd",
        async () => {
          const response = await fetch(`${url(ports)}/health`, { signal: AbortSignal.timeout(2_000) });
          return ((await response.json()) as { health?: string }).health === "true" ? true : undefined;
        },
        { timeoutMs: READY_TIMEOUT_MS, process: proc },
      ),
  );
  return {
    url: url(ports),
    stop: async () => {
      await proc.stop();
      rmSync(dataDir(ports), { recursive: true, force: true });
    },
  };
}

/** What every API server of one run shares: the service-account key pair and the admin token. */
export interface Credentials {
  dir: string;
  token: string;
}

export function makeCredentials(workDir: string): Credentials {
  const dir = join(workDir, "credentials");
  mkdirSync(dir, { recursive: true });
  // kube-apiserver refuses to start without a service-account signing key; nothing is signed with it.
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  writeFileSync(join(dir, "sa.pub"), publicKey);
  writeFileSync(join(dir, "sa.key"), privateKey, { mode: 0o600 });
  const token = randomBytes(24).toString("hex");
  writeFileSync(join(dir, "tokens.csv"), `${token},${ADMIN},${ADMIN},system:masters\n`, { mode: 0o600 });
  return { dir, token };
}

export async function startApiServer(
  binary: string,
  options: { etcd: Etcd; credentials: Credentials; prefix: string; workDir: string },
): Promise<ApiServer> {
  const { etcd, credentials, prefix, workDir } = options;
  const what = `kube-apiserver (${prefix})`;
  const certDir = ([port]: number[]) => join(workDir, `certs-${prefix}-${port}`);
  const {
    proc,
    ports,
    value: client,
  } = await startOnFreePorts(
    1,
    (ports) =>
      startProcess(binary, [
        `--etcd-servers=${etcd.url}`,
        `--etcd-prefix=/registry-${prefix}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${ports[0]}`,
        // The server makes itself a serving certificate for localhost/127.0.0.1; the client trusts
        // exactly that file.
        `--cert-dir=${certDir(ports)}`,
        `--token-auth-file=${join(credentials.dir, "tokens.csv")}`,
        "--authorization-mode=RBAC",
        `--service-account-key-file=${join(credentials.dir, "sa.pub")}`,
        `--service-account-signing-key-file=${join(credentials.dir, "sa.key")}`,
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-cluster-ip-range=10.96.0.0/16",
        // Endpoints may not hold a loopback address; with no nodes there is nothing to reconcile.
        "--endpoint-reconciler-type=none",
        // As managed clusters (EKS, GKE) run: privileged pods are the Pod Security levels' call, so
        // a privileged container shows up as the Pod Security warning a real cluster gives.
        "--allow-privileged=true",
        "--profiling=false",
        "--v=0",
      ]),
    (proc, ports) =>
      waitFor(
        what,
        async () => {
          let ca: string;
          try {
            ca = readFileSync(join(certDir(ports), "apiserver.crt"), "utf8");
          } catch {
            return undefined; // not written yet
          }
          const candidate = new KubeClient(`https://127.0.0.1:${ports[0]}`, credentials.token, ca);
          if ((await candidate.request("GET", "/readyz")).status === 200) return candidate;
          candidate.close();
          return undefined;
        },
        { timeoutMs: READY_TIMEOUT_MS, process: proc },
      ),
  );
  const version = ((await client.get("/version")) as { gitVersion?: string }).gitVersion ?? "unknown";
  return {
    client,
    caFile: join(certDir(ports), "apiserver.crt"),
    token: credentials.token,
    version,
    output: () => proc.output(),
    stop: async () => {
      client.close();
      await proc.stop();
      rmSync(certDir(ports), { recursive: true, force: true });
    },
  };
}

/** A scratch folder for one live run, removed by the caller. */
export function liveWorkDir(): string {
  return mkdtempSync(join(tmpdir(), "greenlang-live-"));
}
