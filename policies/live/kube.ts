// The few Kubernetes API calls the live phase makes, over HTTPS with a bearer token: discovery,
// server-side apply (optionally as a dry run), get and delete. No client library: each call is
// one request whose status, body and `Warning` headers the caller reads as they are.
import { Agent, request as httpsRequest } from "node:https";

export interface Response {
  status: number;
  /** Parsed JSON when the server sent JSON, otherwise the text. */
  body: unknown;
  /** Every `Warning` header's text (admission warnings, deprecations, dropped fields). */
  warnings: string[];
}

/** Where the API serves one kind: its resource path segment and whether it is namespaced. */
export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** The field manager the gate applies as; what a second apply by it changes is a finding. */
export const FIELD_MANAGER = "greenlang-live-gate";

/** `299 - "message"` → message (RFC 7234 warn-text, as the API server writes it). */
function warningText(header: string): string {
  const match = /^\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/.exec(header);
  return match?.[1] ? match[1].replace(/\\(.)/g, "$1") : header;
}

export class KubeClient {
  readonly url: string;
  readonly #token: string;
  readonly #agent: Agent;
  readonly #discovery = new Map<string, Map<string, ResourceInfo>>();

  constructor(url: string, token: string, ca: string) {
    this.url = url;
    this.#token = token;
    this.#agent = new Agent({ ca, keepAlive: true, maxSockets: 8 });
  }

  close(): void {
    this.#agent.destroy();
  }

  request(method: string, path: string, options: { body?: unknown; contentType?: string } = {}): Promise<Response> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${this.url}${path}`,
        {
          method,
          agent: this.#agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            authorization: `Bearer ${this.#token}`,
            accept: "application/json",
            ...(payload === undefined
              ? {}
              : {
                  "content-type": options.contentType ?? "application/json",
                  "content-length": Buffer.byteLength(payload),
                }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown = text;
            if ((res.headers["content-type"] ?? "").includes("json")) {
              try {
                body = JSON.parse(text);
              } catch {
                body = text;
              }
            }
            const raw = res.headers.warning;
            const warnings = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((w) =>
              // Node folds repeated headers into one, comma-separated; each warning starts with its code.
              w.split(/,\s*(?=\d{3}\s)/).map(warningText),
            );
            resolve({ status: res.statusCode ?? 0, body, warnings });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** GET that must succeed. */
  async get(path: string): Promise<unknown> {
    const response = await this.request("GET", path);
    if (response.status !== 200)
      throw new Error(`GET ${path}: HTTP ${response.status}: ${statusMessage(response.body)}`);
    return response.body;
  }

  /** Where `apiVersion`/`kind` is served, or null when the server does not know it (yet). */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo | null> {
    let kinds = this.#discovery.get(apiVersion);
    if (!kinds) {
      const response = await this.request(
        "GET",
        apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
      );
      if (response.status === 404) return null;
      if (response.status !== 200)
        throw new Error(`discovery of ${apiVersion}: HTTP ${response.status}: ${statusMessage(response.body)}`);
      kinds = new Map();
      for (const r of (response.body as { resources: { name: string; kind: string; namespaced: boolean }[] })
        .resources) {
        if (!r.name.includes("/")) kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced });
      }
      this.#discovery.set(apiVersion, kinds);
    }
    return kinds.get(kind) ?? null;
  }

  /** Forget discovery, e.g. after CRDs were installed. */
  forgetDiscovery(): void {
    this.#discovery.clear();
  }

  /** The object's URL path (collection path when `name` is empty). */
  async path(object: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<string | null> {
    const info = await this.resource(object.apiVersion, object.kind);
    if (!info) return null;
    const base = object.apiVersion.includes("/") ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const ns = info.namespaced ? `/namespaces/${encodeURIComponent(object.namespace || "default")}` : "";
    return `${base}${ns}/${info.plural}${object.name ? `/${encodeURIComponent(object.name)}` : ""}`;
  }

  /**
   * Server-side apply of one manifest, with strict field validation (an unknown or duplicate field
   * is an error, not a warning the server drops the field behind).
   */
  apply(path: string, manifest: unknown, options: { dryRun: boolean }): Promise<Response> {
    const query = new URLSearchParams({ fieldManager: FIELD_MANAGER, force: "true", fieldValidation: "Strict" });
    if (options.dryRun) query.set("dryRun", "All");
    return this.request("PATCH", `${path}?${query}`, { body: manifest, contentType: "application/apply-patch+yaml" });
  }
}

/** The message of a Kubernetes Status body (or the text the server sent). */
export function statusMessage(body: unknown): string {
  if (body && typeof body === "object" && "message" in body) return String((body as { message: unknown }).message);
  return typeof body === "string" ? body.trim().slice(0, 500) : JSON.stringify(body).slice(0, 500);
}
