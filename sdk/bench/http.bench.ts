// HTTP requests per second of one small node:http service on loopback, measured with autocannon:
// uninstrumented, with bare upstream OpenTelemetry auto-instrumentation, and with this
// distribution's preload. Both instrumented runs export OTLP/HTTP protobuf (gzip, same batch
// settings) to a sink in this process that accepts everything. Configurations alternate over
// several rounds and the median of each is compared. Target: ours / bare ≥ 0.95.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import autocannon from "autocannon";
import { freePort } from "../../test/support/ports.ts";
import { startProcess, waitFor } from "../../test/support/process.ts";
import { ensureBuilt } from "../scripts/build.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const ROUNDS = 3;
const WARMUP_SECONDS = 2;
const MEASURE_SECONDS = 5;
const CONNECTIONS = 10;

ensureBuilt();

// The OTLP sink: drains every export and answers 200, costing the measured services nothing.
let exportedRequests = 0;
const sink = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    exportedRequests++;
    res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("OTEL_") && !k.startsWith("GL_")),
);
const exportEnv = {
  OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
  OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
  OTEL_BSP_MAX_QUEUE_SIZE: "8192",
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "512",
  OTEL_BSP_SCHEDULE_DELAY: "1000",
  OTEL_SERVICE_NAME: "bench-app",
};
const configurations = {
  uninstrumented: { args: [] as string[], env: {} },
  "bare OpenTelemetry": { args: ["--import", join(FIXTURES, "bare-otel.mjs")], env: exportEnv },
  "@greenlang/tracing": { args: ["--import", "@greenlang/tracing/register"], env: exportEnv },
};
type Name = keyof typeof configurations;

async function measure(name: Name): Promise<number> {
  const port = await freePort();
  const { args, env } = configurations[name];
  const app = startProcess(process.execPath, [...args, join(FIXTURES, "app.mjs")], {
    cwd: FIXTURES,
    env: { ...baseEnv, ...env, PORT: String(port) },
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${name} app`, async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), { process: app });
    await autocannon({ url: `${url}/api/orders/1`, connections: CONNECTIONS, duration: WARMUP_SECONDS });
    const result = await autocannon({
      url: `${url}/api/orders/1`,
      connections: CONNECTIONS,
      duration: MEASURE_SECONDS,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return result.requests.average;
  } finally {
    await app.stop(5_000);
  }
}

const results: Record<Name, number[]> = { uninstrumented: [], "bare OpenTelemetry": [], "@greenlang/tracing": [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(configurations) as Name[]) results[name].push(await measure(name));
}
sink.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const rps = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<Name, number>;
const ratio = rps["@greenlang/tracing"] / rps["bare OpenTelemetry"];
console.log(`HTTP req/s on loopback, autocannon -c ${CONNECTIONS} -d ${MEASURE_SECONDS}, median of ${ROUNDS} rounds`);
for (const [name, value] of Object.entries(rps))
  console.log(
    `  ${name.padEnd(20)} ${value.toFixed(0).padStart(7)} req/s   (rounds: ${results[name as Name].map((v) => v.toFixed(0)).join(", ")})`,
  );
console.log(`  ratio ours/bare: ${ratio.toFixed(3)} (target ≥ 0.95) ${ratio >= 0.95 ? "OK" : "UNDER TARGET"}`);
console.log(`  ratio ours/uninstrumented: ${(rps["@greenlang/tracing"] / rps.uninstrumented).toFixed(3)}`);
console.log(`  OTLP export requests received by the sink: ${exportedRequests}`);
