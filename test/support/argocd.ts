// A real Argo CD for the end-to-end test: Debian's redis-server, argocd-repo-server and
// argocd-application-controller (one multi-call binary, tools/argocd), all on loopback, driving a
// throw-away kube-apiserver (policies/live/controlplane.ts). The API server stands in for the
// cluster Argo CD runs in: the controller treats https://kubernetes.default.svc as the kubeconfig
// it is given (ARGOCD_FAKE_IN_CLUSTER), which is how Argo CD itself runs outside a cluster.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiServer } from "../../policies/live/controlplane.ts";
import type { KubeClient } from "../../policies/live/kube.ts";
import { tcpOpen } from "../../scripts/ports.ts";
import { type RunningProcess, startOnFreePorts, startProcess, waitFor } from "../../scripts/process.ts";

export const ARGOCD_NAMESPACE = "argocd";

/**
 * Argo CD's Application health check, which Argo CD 1.8 removed from its defaults: without it a
 * child Application counts Healthy the moment it exists, and sync waves between child apps order
 * nothing. docs/prerequisites.md asks every cluster for this same entry.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

export interface ArgoCd {
  /** Everything the controller logged so far (for failure messages). */
  controllerOutput(): string;
  repoServerOutput(): string;
  stop(): Promise<void>;
}

/** Starts a server on free ports until its first port accepts connections. */
async function startListening(
  what: string,
  start: (port: number, extra: number) => RunningProcess,
): Promise<{ proc: RunningProcess; port: number }> {
  const { proc, ports } = await startOnFreePorts(
    2,
    ([port, extra]) => start(port as number, extra as number),
    (proc, [port]) =>
      waitFor(`${what} listening on ${port}`, () => tcpOpen(port as number), { process: proc, timeoutMs: 30_000 }),
  );
  return { proc, port: ports[0] as number };
}

/** argocd-cm and argocd-secret, labelled as Argo CD's settings informers select them. */
async function writeSettings(client: KubeClient): Promise<void> {
  const labels = { "app.kubernetes.io/part-of": "argocd" };
  const objects = [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "argocd-cm", namespace: ARGOCD_NAMESPACE, labels },
      data: {
        "resource.customizations.health.argoproj.io_Application": APPLICATION_HEALTH_LUA,
        // Argo CD 3's default, said out loud as docs/prerequisites.md asks it of every cluster.
        "application.resourceTrackingMethod": "annotation",
      },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "argocd-secret", namespace: ARGOCD_NAMESPACE, labels },
      stringData: { "server.secretkey": randomBytes(24).toString("base64") },
    },
  ];
  for (const object of objects) {
    const path = await client.path({ ...object, namespace: ARGOCD_NAMESPACE, name: object.metadata.name });
    const response = await client.apply(path as string, object, { dryRun: false });
    if (response.status >= 300) throw new Error(`writing ${object.metadata.name}: HTTP ${response.status}`);
  }
}

/**
 * What a Git host's webhook does after a push: asks Argo CD to look at the repository now rather
 * than at its next poll (every 3 minutes, with resolved revisions cached as long).
 */
export async function requestRefresh(client: KubeClient, applications: readonly string[]): Promise<void> {
  for (const name of applications) {
    const response = await client.request(
      "PATCH",
      `/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD_NAMESPACE}/applications/${name}`,
      {
        body: { metadata: { annotations: { "argocd.argoproj.io/refresh": "hard" } } },
        contentType: "application/merge-patch+json",
      },
    );
    if (response.status !== 200) throw new Error(`refresh of ${name}: HTTP ${response.status}`);
  }
}

function writeKubeconfig(file: string, server: ApiServer): void {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "live", cluster: { server: server.client.url, "certificate-authority": server.caFile } }],
    users: [{ name: "admin", user: { token: server.token } }],
    contexts: [{ name: "live", context: { cluster: "live", user: "admin", namespace: ARGOCD_NAMESPACE } }],
    "current-context": "live",
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
}

export async function startArgoCd(options: {
  binary: string;
  /** Folder with kustomize, git and helm for the repo-server. */
  toolsPath: string;
  server: ApiServer;
  workDir: string;
  /** Seconds between the controller's refreshes of every app (Argo CD's default is 120). */
  resyncSeconds: number;
}): Promise<ArgoCd> {
  const { binary, server, workDir } = options;
  await writeSettings(server.client);
  const kubeconfig = join(workDir, "kubeconfig.json");
  writeKubeconfig(kubeconfig, server);
  const started: RunningProcess[] = [];
  const stop = async () => {
    for (const proc of started.reverse()) await proc.stop();
  };
  try {
    const redis = await startListening("redis-server", (port) =>
      startProcess("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]),
    );
    started.push(redis.proc);
    const env = {
      ...process.env,
      PATH: `${options.toolsPath}:${process.env.PATH}`,
      HOME: workDir,
      TMPDIR: workDir,
      // No GnuPG here: commit verification is off unless a project asks for it.
      ARGOCD_GPG_ENABLED: "false",
    };
    const repoServer = await startListening("argocd-repo-server", (port, metrics) =>
      startProcess(
        binary,
        [
          "--port",
          String(port),
          "--address",
          "127.0.0.1",
          "--metrics-address",
          "127.0.0.1",
          "--metrics-port",
          String(metrics),
          "--redis",
          `127.0.0.1:${redis.port}`,
          "--disable-tls",
          "--loglevel",
          "warn",
        ],
        { env: { ...env, ARGOCD_BINARY_NAME: "argocd-repo-server" } },
      ),
    );
    started.push(repoServer.proc);
    const controller = await startListening("argocd-application-controller", (metrics) =>
      startProcess(
        binary,
        [
          "--repo-server",
          `127.0.0.1:${repoServer.port}`,
          "--repo-server-plaintext",
          "--redis",
          `127.0.0.1:${redis.port}`,
          // Binds 0.0.0.0 whatever it is told: the test runs in a private network namespace.
          "--metrics-port",
          String(metrics),
          "--app-resync",
          String(options.resyncSeconds),
          "--status-processors",
          "4",
          "--operation-processors",
          "4",
          "--loglevel",
          "info",
          "--logformat",
          "text",
        ],
        {
          env: {
            ...env,
            ARGOCD_BINARY_NAME: "argocd-application-controller",
            ARGOCD_FAKE_IN_CLUSTER: "true",
            KUBECONFIG: kubeconfig,
          },
        },
      ),
    );
    started.push(controller.proc);
    return {
      controllerOutput: () => controller.proc.output(),
      repoServerOutput: () => repoServer.proc.output(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
