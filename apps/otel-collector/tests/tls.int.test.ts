// prod's TLS settings on the OTLP receivers, exercised for real: the rendered prod front-tier config
// runs with certificates made here by openssl (a throwaway CA, a server certificate for 127.0.0.1,
// client certificates from that CA and from a stranger CA). A second Collector stands in for the
// gateway behind the load_balancing exporter (static resolver on loopback).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CLIENT_EXTENSIONS, newCa, newCert, SERVER_EXTENSIONS } from "../../../scripts/tls.ts";
import { startCollector, startStore, stopAll, storedSpans, waitFor } from "./collector-process.ts";
import { forLoopback, loopbackPorts } from "./loopback.ts";
import { exportRequest, newTraceId } from "./otlp-client.ts";
import { render } from "./render.ts";

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "otelcol-tls-"));
});
test.after(async () => {
  await stopAll();
  await rm(dir, { recursive: true, force: true });
});

interface Client {
  cert?: string;
  key?: string;
  maxVersion?: "TLSv1.2" | "TLSv1.3";
}

/** POSTs one OTLP/JSON span over HTTPS; resolves the HTTP status, rejects on a TLS failure. */
async function postSpan(port: number, traceId: string, client: Client): Promise<number> {
  const body = JSON.stringify(exportRequest([{ service: "payments", name: "POST /pay", traceId }]));
  const ca = await readFile(join(dir, "ca.crt"));
  const [cert, key] = client.cert && client.key ? [await readFile(client.cert), await readFile(client.key)] : [];
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/v1/traces",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        ca,
        cert,
        key,
        maxVersion: client.maxVersion,
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

test("prod: the OTLP/HTTP receiver serves TLS 1.3 and accepts only clients with a certificate from its CA", async () => {
  await newCa(dir, "ca");
  await newCa(dir, "stranger-ca");
  await newCert(dir, "tls", "ca", SERVER_EXTENSIONS);
  await newCert(dir, "client", "ca", CLIENT_EXTENSIONS);
  await newCert(dir, "stranger", "stranger-ca", CLIENT_EXTENSIONS);

  const rendered = (await render("prod")).configs.get("front");
  if (!rendered) throw new Error("prod renders no front config");
  const store = await startStore(dir);
  const ports = await loopbackPorts();
  const config = forLoopback(rendered, ports, {});
  for (const protocol of ["grpc", "http"]) {
    const tls = config.receivers.otlp.protocols[protocol].tls;
    for (const key of ["cert_file", "key_file", "client_ca_file"]) {
      assert.match(tls[key], /^\/etc\/otelcol\/tls\//);
      tls[key] = join(dir, String(tls[key]).replace("/etc/otelcol/tls/", ""));
    }
  }
  config.exporters.load_balancing.resolver = { static: { hostnames: [store.endpoint] } };
  const front = await startCollector("front-tls", config, dir);
  try {
    const accepted = newTraceId();
    assert.is(
      await postSpan(ports.http, accepted, { cert: join(dir, "client.crt"), key: join(dir, "client.key") }),
      200,
    );
    const stored = await waitFor(`trace ${accepted} behind TLS`, async () =>
      (await storedSpans(store.spansFile)).find((s) => s.span.traceId === accepted),
    );
    assert.is(stored.resource["deployment.environment.name"], "prod");

    // No client certificate, a certificate from another CA, TLS 1.2: all refused.
    const refusals: [string, Client][] = [
      ["no client certificate", {}],
      ["a client certificate from another CA", { cert: join(dir, "stranger.crt"), key: join(dir, "stranger.key") }],
      ["TLS 1.2", { cert: join(dir, "client.crt"), key: join(dir, "client.key"), maxVersion: "TLSv1.2" }],
    ];
    for (const [what, client] of refusals) {
      const outcome = await postSpan(ports.http, newTraceId(), client).then(
        (status) => `answered ${status}`,
        () => "refused",
      );
      assert.is(outcome, "refused", `${what} must be refused`);
    }
    // Plain HTTP to the TLS port gets no OTLP answer either.
    const plain = await fetch(`http://127.0.0.1:${ports.http}/v1/traces`, { method: "POST", body: "{}" }).then(
      (r) => r.status,
      () => 0,
    );
    assert.is.not(plain, 200);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- front ---\n${front.logs()}`);
  } finally {
    await front.stop();
    await store.collector.stop();
  }
});

test.run();
