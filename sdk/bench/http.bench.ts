// HTTP requests per second of one small node:http service on loopback, measured with autocannon:
// uninstrumented, with bare upstream OpenTelemetry auto-instrumentation, and with this
// distribution's preload. Both instrumented runs export OTLP/HTTP protobuf (gzip, same batch
// settings) to a sink in this process that accepts everything. Target: ours / bare ≥ 0.95.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import autocannon from "autocannon";
import { freePort } from "../../test/support/ports.ts";
import { startProcess, waitFor } from "../../test/support/process.ts";
import { ensureBuilt } from "../scripts/build.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");
const ROUNDS = 5;
const WARMUP_SECONDS = 2;
const MEASURE_SECONDS = 4;
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

// The machine is shared: throughput drifts between rounds. Each round measures the three
// configurations back to back (in an order that alternates between rounds), and the ratio of
// ours to bare is taken within the round before the median over rounds.
const names = Object.keys(configurations) as Name[];
const results: Record<Name, number[]> = { uninstrumented: [], "bare OpenTelemetry": [], "@greenlang/tracing": [] };
const roundRatios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? names : [...names].reverse();
  const rps = {} as Record<Name, number>;
  for (const name of order) {
    rps[name] = await measure(name);
    results[name].push(rps[name]);
  }
  roundRatios.push(rps["@greenlang/tracing"] / rps["bare OpenTelemetry"]);
}
sink.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const rps = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<Name, number>;
const ratio = median(roundRatios);
console.log(`HTTP req/s on loopback, autocannon -c ${CONNECTIONS} -d ${MEASURE_SECONDS}, ${ROUNDS} rounds (medians)`);
for (const [name, value] of Object.entries(rps))
  console.log(
    `  ${name.padEnd(20)} ${value.toFixed(0).padStart(7)} req/s   (rounds: ${results[name as Name].map((v) => v.toFixed(0)).join(", ")})`,
  );
console.log(
  `  ratio ours/bare (median of per-round ratios ${roundRatios.map((r) => r.toFixed(3)).join(", ")}): ${ratio.toFixed(3)} (target ≥ 0.95) ${ratio >= 0.95 ? "OK" : "UNDER TARGET"}`,
);
console.log(`  ratio ours/uninstrumented: ${(rps["@greenlang/tracing"] / rps.uninstrumented).toFixed(3)}`);
console.log(`  OTLP export requests received by the sink: ${exportedRequests}`);
