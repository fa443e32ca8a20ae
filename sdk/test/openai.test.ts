// openai, instrumented by name, with the `openai` npm client. No OpenAI server can run here, so the
// client talks to a loopback node:http server in this process that answers chat completions and
// embeddings as the API does (fixed, well-formed bodies): what is tested is the client's spans and
// events, not OpenAI's service. The GenAI semantic conventions are checked on each span, and the
// prompt and completion texts (personal data as often as not) must appear on no span and no event:
// message content capture is off unless an operator opts in.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { InMemoryLogRecordExporter } from "@opentelemetry/sdk-logs";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spansAfter, startInMemoryTracing } from "./support.ts";

// A developer's shell must not decide what this test sees: the instrumentation reads it itself.
delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
// The GenAI events are log records: they are taken here, after the SDK's redaction, as an
// exporter would get them (with no logs exporter configured nothing would record them).
const events = new InMemoryLogRecordExporter();
const tracing = startInMemoryTracing({ instrumentations: ["openai"] }, { logRecordExporter: events });
const require = createRequire(import.meta.url);
const { OpenAI } = require("openai") as typeof import("openai");

const PROMPT = "My name is Jane Roe and my card number is 4111 1111 1111 1111";
const COMPLETION = "Hello Jane Roe, your card ends in 1111";
const SYSTEM = "You are the billing assistant of ACME";

function answer(req: IncomingMessage, res: ServerResponse, body: string) {
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "x-request-id": "req-1" });
    res.end(JSON.stringify(value));
  };
  const request = JSON.parse(body) as { model: string };
  if (req.method === "POST" && req.url === "/v1/chat/completions")
    return json(200, {
      id: "chatcmpl-42",
      object: "chat.completion",
      created: 1_780_000_000,
      model: `${request.model}-2026-01-01`,
      choices: [{ index: 0, message: { role: "assistant", content: COMPLETION }, finish_reason: "stop" }],
      usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 },
    });
  if (req.method === "POST" && req.url === "/v1/embeddings")
    return json(200, {
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.125, -0.5, 0.25] }],
      model: request.model,
      usage: { prompt_tokens: 13, total_tokens: 13 },
    });
  json(404, { error: { message: `no route ${req.url}`, type: "invalid_request_error" } });
}

const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => answer(req, res, body));
});

const tracer = trace.getTracer("openai.test");
const test = suite("openai");
const state: { client?: InstanceType<typeof OpenAI>; port?: number } = {};
const names = (spans: readonly ReadableSpan[]) => JSON.stringify(spans.map((s) => s.name));

test.before(async () => {
  // Port 0: the OS picks a free one, so there is no race to retry.
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  state.port = (server.address() as AddressInfo).port;
  state.client = new OpenAI({
    apiKey: "sk-test-not-a-key",
    baseURL: `http://127.0.0.1:${state.port}/v1`,
    maxRetries: 0,
    timeout: 5_000,
  });
});

test.after(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, "close");
});

async function inRequest(work: () => Promise<unknown>) {
  const request = tracer.startSpan("POST /assistant", { kind: SpanKind.SERVER });
  await context.with(trace.setSpan(context.active(), request), work);
  request.end();
  return request;
}

test("a chat completion in a request is a client span of it, with the GenAI attributes and no message text", async () => {
  const client = state.client;
  if (!client) throw new Error("no client");
  events.reset();
  const request = await inRequest(async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      temperature: 0.2,
      max_tokens: 64,
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: PROMPT },
      ],
    });
    assert.is(completion.choices[0]?.message.content, COMPLETION);
  });
  const spans = await spansAfter(tracing, 2);
  const chat = spans.find((s) => s.name === "chat gpt-4o-mini");
  assert.ok(chat, `no "chat gpt-4o-mini" span in ${names(spans)}`);
  assert.is(chat.kind, SpanKind.CLIENT);
  assert.is(chat.parentSpanContext?.spanId, request.spanContext().spanId);
  assert.is(chat.spanContext().traceId, request.spanContext().traceId);
  const a = chat.attributes;
  assert.is(a["gen_ai.operation.name"], "chat");
  assert.is(a["gen_ai.system"], "openai");
  assert.is(a["gen_ai.request.model"], "gpt-4o-mini");
  assert.is(a["gen_ai.request.temperature"], 0.2);
  assert.is(a["gen_ai.request.max_tokens"], 64);
  assert.is(a["gen_ai.response.model"], "gpt-4o-mini-2026-01-01");
  assert.is(a["gen_ai.response.id"], "chatcmpl-42");
  assert.equal(a["gen_ai.response.finish_reasons"], ["stop"]);
  assert.is(a["gen_ai.usage.input_tokens"], 21);
  assert.is(a["gen_ai.usage.output_tokens"], 9);
  assert.is(a["server.address"], "127.0.0.1");
  assert.is(a["server.port"], state.port);

  // The events are there (one per input message, one for the choice), in the span's trace, but
  // say only who spoke and why the model stopped: never what was said.
  const records = events.getFinishedLogRecords();
  const eventNames = records.map((r) => r.attributes["event.name"]);
  assert.equal(eventNames, ["gen_ai.system.message", "gen_ai.user.message", "gen_ai.choice"]);
  for (const record of records) assert.is(record.spanContext?.spanId, chat.spanContext().spanId);
  const seen = JSON.stringify([spans.map((s) => [s.attributes, s.events]), records.map((r) => [r.body, r.attributes])]);
  for (const text of [PROMPT, COMPLETION, SYSTEM, "Jane Roe", "4111"]) assert.not.ok(seen.includes(text), text);
});

test("an embeddings call in a request is a client span of it, with model and input tokens and no input text", async () => {
  const client = state.client;
  if (!client) throw new Error("no client");
  events.reset();
  const request = await inRequest(async () => {
    // "float": by default the client asks for base64 and decodes it; the stub answers plain floats.
    const result = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: PROMPT,
      encoding_format: "float",
    });
    assert.equal(result.data[0]?.embedding, [0.125, -0.5, 0.25]);
  });
  const spans = await spansAfter(tracing, 2);
  const embeddings = spans.find((s) => s.name === "embeddings text-embedding-3-small");
  assert.ok(embeddings, `no "embeddings text-embedding-3-small" span in ${names(spans)}`);
  assert.is(embeddings.kind, SpanKind.CLIENT);
  assert.is(embeddings.parentSpanContext?.spanId, request.spanContext().spanId);
  assert.is(embeddings.attributes["gen_ai.operation.name"], "embeddings");
  assert.is(embeddings.attributes["gen_ai.request.model"], "text-embedding-3-small");
  assert.is(embeddings.attributes["gen_ai.response.model"], "text-embedding-3-small");
  assert.is(embeddings.attributes["gen_ai.usage.input_tokens"], 13);
  assert.equal(embeddings.attributes["gen_ai.request.encoding_formats"], ["float"]);
  const seen = JSON.stringify([
    spans.map((s) => [s.attributes, s.events]),
    events.getFinishedLogRecords().map((r) => r.body),
  ]);
  assert.not.ok(seen.includes("Jane Roe"));
});

test.run();
