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
import { freePorts } from "../../scripts/ports.ts";
import { type RunningProcess, startProcess, waitFor } from "../../scripts/process.ts";
import { KubeClient } from "./kube.ts";

const START_ATTEMPTS = 4;
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

const addressInUse = (output: string): boolean => /address already in use/i.test(output);

/** Starts `start` on fresh ports until it does not fail for a port another process took meanwhile. */
async function withPortRetry<T>(what: string, start: (ports: number[]) => Promise<T>, count: number): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await start(await freePorts(count));
    } catch (error) {
      last = error;
      if (!(error instanceof PortTaken)) throw error;
    }
  }
  throw new Error(`${what}: every port it was given was taken before it could bind (${START_ATTEMPTS} tries): ${last}`);
}

class PortTaken extends Error {}

async function ready<T>(what: string, proc: RunningProcess, probe: () => Promise<T | undefined>): Promise<T> {
  try {
    return await waitFor(what, probe, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100, process: proc });
  } catch (error) {
    await proc.stop();
    if (addressInUse(proc.output())) throw new PortTaken(what);
    throw error;
  }
}

export function startEtcd(binary: string, workDir: string): Promise<Etcd> {
  return withPortRetry(
    "etcd",
    async ([client, peer]) => {
      const dataDir = join(workDir, `etcd-${client}`);
      const url = `http://127.0.0.1:${client}`;
      const peerUrl = `http://127.0.0.1:${peer}`;
      const proc = startProcess(binary, [
        "--name=live",
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=live=${peerUrl}`,
        // A throw-away store: durability buys nothing and fsync costs most of an apply's time.
        "--unsafe-no-fsync",
        "--log-level=error",
      ]);
      await ready("etcd", proc, async () => {
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
        const body = (await response.json()) as { health?: string };
        return body.health === "true" ? true : undefined;
      });
      return {
        url,
        stop: async () => {
          await proc.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
    2,
  );
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

export function startApiServer(
  binary: string,
  options: { etcd: Etcd; credentials: Credentials; prefix: string; workDir: string },
): Promise<ApiServer> {
  const { etcd, credentials, prefix, workDir } = options;
  return withPortRetry(
    `kube-apiserver (${prefix})`,
    async ([port]) => {
      const certDir = join(workDir, `certs-${prefix}-${port}`);
      const proc = startProcess(binary, [
        `--etcd-servers=${etcd.url}`,
        `--etcd-prefix=/registry-${prefix}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${port}`,
        // The server makes itself a serving certificate for localhost/127.0.0.1; the client trusts
        // exactly that file.
        `--cert-dir=${certDir}`,
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
      ]);
      const readCa = (): string | undefined => {
        try {
          return readFileSync(join(certDir, "apiserver.crt"), "utf8");
        } catch {
          return undefined;
        }
      };
      const client = await ready(`kube-apiserver (${prefix})`, proc, async () => {
        const ca = readCa();
        if (!ca) return undefined;
        const candidate = new KubeClient(`https://127.0.0.1:${port}`, credentials.token, ca);
        const { status } = await candidate.request("GET", "/readyz");
        if (status === 200) return candidate;
        candidate.close();
        return undefined;
      });
      const version = ((await client.get("/version")) as { gitVersion?: string }).gitVersion ?? "unknown";
      return {
        client,
        caFile: join(certDir, "apiserver.crt"),
        token: credentials.token,
        version,
        output: () => proc.output(),
        stop: async () => {
          client.close();
          await proc.stop();
          rmSync(certDir, { recursive: true, force: true });
        },
      };
    },
    1,
  );
}

/** A scratch folder for one live run, removed by the caller. */
export function liveWorkDir(): string {
  return mkdtempSync(join(tmpdir(), "greenlang-live-"));
}
